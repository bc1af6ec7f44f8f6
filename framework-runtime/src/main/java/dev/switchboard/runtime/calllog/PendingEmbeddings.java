package dev.switchboard.runtime.calllog;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import io.opentelemetry.api.trace.SpanContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * One embeddings call being watched for the log, as {@link PendingCall} watches a chat call: on the request path it
 * only keeps references and queues itself; {@link #get()} builds the record on the writer thread. Thread-safe:
 * fields are written before the queue hand-off, which publishes them.
 */
final class PendingEmbeddings implements CallObserver.Call, Supplier<CallRecord> {
    final CallObserver.EmbeddingsStart start;
    final SpanContext span;
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    private final CallLogWriter writer;
    private final RecordAssembler assembler;
    long endMillis;
    long endNanos;
    EmbeddingsResult result;
    Throwable error;
    List<Attempt> attempts;

    PendingEmbeddings(CallObserver.EmbeddingsStart start, SpanContext span, CallLogWriter writer, RecordAssembler assembler) {
        this.start = start;
        this.span = span;
        this.writer = writer;
        this.assembler = assembler;
    }

    @Override
    public void success(EmbeddingsResult r) {
        result = r;
        writer.offer(this);
    }

    @Override
    public void failure(Throwable e, List<Attempt> a) {
        endNanos = System.nanoTime();
        endMillis = System.currentTimeMillis();
        error = e;
        attempts = a;
        writer.offer(this);
    }

    @Override
    public CallRecord get() {
        return assembler.assemble(this);
    }
}
