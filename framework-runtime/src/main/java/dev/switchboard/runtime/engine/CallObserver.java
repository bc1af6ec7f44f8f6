package dev.switchboard.runtime.engine;

import dev.switchboard.api.Attempt;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.EmbeddingRequest;
import java.util.List;

/**
 * Watches calls as they happen: telemetry, call logs and reporting plug in here. Implementations must
 * be thread-safe and cheap: they run on the request path (on the caller's or a provider's thread), must
 * not block, and must not throw (an exception is caught and ignored so bookkeeping never fails a
 * call). Heavy work (writing a log store) belongs on the observer's own threads.
 *
 * <pre>{@code
 * Switchboard.builder().observer(start -> new CallObserver.Call() {
 *     public void success(CallResult r) { metrics.record(r.latency()); }
 * }).build();
 * }</pre>
 */
@FunctionalInterface
public interface CallObserver {

    /** Called when a call starts (after resolution and rendering); returns what watches the rest of it. */
    Call start(CallStart start);

    /**
     * Called when an embeddings call starts (after resolution); returns what watches the rest of it, which ends
     * with {@link Call#success(EmbeddingsResult)} or {@link Call#failure}. The default watches nothing, so an
     * observer written for chat calls keeps working.
     */
    default Call embeddings(EmbeddingsStart start) {
        return Call.NOOP;
    }

    /**
     * A provider's circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}).
     * Called on the thread of the call that caused it; the default does nothing.
     */
    default void breakerTransition(String provider, String from, String to) {
    }

    /**
     * A call about to run.
     *
     * @param callId     the call id
     * @param invocation what was asked
     * @param variant    the resolved variant
     * @param request    the rendered request for the primary model
     * @param streaming  whether the answer is streamed
     */
    record CallStart(String callId, Invocation invocation, ResolvedVariant variant, ChatRequest request, boolean streaming) {
    }

    /**
     * An embeddings call about to run.
     *
     * @param callId     the call id
     * @param invocation what was asked (deployment or model, context, metadata)
     * @param variant    the resolved variant; its primary model is the one asked
     * @param request    the provider request, for that model
     */
    record EmbeddingsStart(String callId, Invocation invocation, ResolvedVariant variant, EmbeddingRequest request) {
    }

    /** Watches one call. Every method has a no-op default. */
    interface Call {
        /** A call watcher that does nothing. */
        Call NOOP = new Call() {
        };

        /** An attempt starts at {@code provider}/{@code model}; returns what watches it. */
        default AttemptWatch attempt(String provider, String model, int number) {
            return AttemptWatch.NOOP;
        }

        /** The first content chunk of a stream reached the caller. */
        default void firstChunk() {
        }

        /** The call succeeded. */
        default void success(CallResult result) {
        }

        /** The embeddings call succeeded. */
        default void success(EmbeddingsResult result) {
        }

        /** The call failed; {@code attempts} are those made. */
        default void failure(Throwable error, List<Attempt> attempts) {
        }
    }

    /** Watches one attempt. */
    interface AttemptWatch {
        /** An attempt watcher that does nothing. */
        AttemptWatch NOOP = new AttemptWatch() {
        };

        /**
         * Entered around the provider call itself (on the calling thread), for example to make a span
         * current so the HTTP transport propagates trace context; closed right after the call returned
         * its future.
         */
        default AutoCloseable enter() {
            return null;
        }

        /** The attempt ended: {@code response} on success (null for an embeddings call), else {@code error}. */
        default void end(Attempt attempt, ChatResponse response, Throwable error) {
        }
    }
}
