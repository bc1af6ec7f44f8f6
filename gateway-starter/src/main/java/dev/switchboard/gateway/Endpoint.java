package dev.switchboard.gateway;

/**
 * Serves the requests of one route. Implementations are stateless and thread-safe; {@link #handle}
 * runs on an event loop thread and must not block: it starts the work and answers through the
 * {@link Exchange} (from any thread) when the work completes. A thrown exception becomes an error
 * response through {@link ErrorMapper}.
 */
@FunctionalInterface
interface Endpoint {
    /** Starts serving {@code exchange}. */
    void handle(Exchange exchange) throws Exception;
}
