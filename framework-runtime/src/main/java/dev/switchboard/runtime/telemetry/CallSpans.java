package dev.switchboard.runtime.telemetry;

import io.opentelemetry.api.trace.SpanContext;

/**
 * Hands the span of a call just started by {@link OpenTelemetryObserver} to the observers started after
 * it for the same call (the call log records its trace and span ids). Observers of one call are started
 * one after the other on the calling thread, so a per-thread slot keyed by call id suffices; a lookup
 * for another call id finds nothing. Thread-safe; allocation-free after a thread's first call.
 */
public final class CallSpans {
    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    private CallSpans() {
    }

    private static final class Slot {
        String callId;
        SpanContext span;
    }

    /** Publishes {@code span} as the span of call {@code callId} on this thread. */
    static void publish(String callId, SpanContext span) {
        Slot s = SLOT.get();
        s.callId = callId;
        s.span = span;
    }

    /** The span of call {@code callId} published on this thread, or null. */
    public static SpanContext lookup(String callId) {
        Slot s = SLOT.get();
        return callId != null && callId.equals(s.callId) ? s.span : null;
    }
}
