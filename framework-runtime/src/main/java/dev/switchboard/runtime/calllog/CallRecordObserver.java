package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.telemetry.CallSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Objects;

/**
 * Logs every call, chat and embeddings: keeps references to what the call was and how it ended, and hands them to a
 * {@link CallLogWriter}, which builds the {@link CallRecord} on its own thread. On the request path it
 * allocates one small object per call and never blocks. Created by {@link CallLog#observer}.
 *
 * <p>Trace ids: the call's span when {@code OpenTelemetryObserver} runs before this observer (as
 * {@code Switchboard.Builder} arranges), else the span current where the call was made, if any.
 * Thread-safe.
 */
public final class CallRecordObserver implements CallObserver {
    private final CallLogWriter writer;
    private final RecordAssembler assembler;

    CallRecordObserver(CallLogWriter writer, RecordAssembler assembler) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
    }

    @Override
    public Call start(CallStart start) {
        return new PendingCall(start, span(start.callId()), writer, assembler);
    }

    @Override
    public Call embeddings(EmbeddingsStart start) {
        return new PendingEmbeddings(start, span(start.callId()), writer, assembler);
    }

    private static SpanContext span(String callId) {
        SpanContext span = CallSpans.lookup(callId);
        return span != null ? span : Span.current().getSpanContext();
    }
}
