package dev.switchboard.spi.http;

/**
 * Receives a stream's events, sequentially and in order. An exception thrown here cancels the
 * stream and completes its future exceptionally with that exception.
 */
@FunctionalInterface
public interface SseListener {
    /** Receives one event. */
    void onEvent(SseEvent event);
}
