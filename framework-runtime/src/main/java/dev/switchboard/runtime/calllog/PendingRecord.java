package dev.switchboard.runtime.calllog;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import io.opentelemetry.api.trace.SpanContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * A call being watched for the log, chat ({@link PendingCall}) or embeddings ({@link PendingEmbeddings}): on the
 * request path it only keeps references (its span, a few timestamps, how it ended) and queues itself when the call
 * ends; {@link #get()} builds the record later, on the writer thread. Thread-safe: fields are written before the
 * queue hand-off, which publishes them.
 */
abstract class PendingRecord implements CallObserver.Call, Supplier<CallRecord> {
    final SpanContext span;
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    final CallLogWriter writer;
    final RecordAssembler assembler;
    long endMillis;
    long endNanos;
    Throwable error;
    List<Attempt> attempts;

    PendingRecord(SpanContext span, CallLogWriter writer, RecordAssembler assembler) {
        this.span = span;
        this.writer = writer;
        this.assembler = assembler;
    }

    @Override
    public void failure(Throwable e, List<Attempt> a) {
        endNanos = System.nanoTime();
        endMillis = System.currentTimeMillis();
        error = e;
        attempts = a;
        writer.offer(this);
    }
}
