package dev.switchboard.runtime.calllog;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import io.opentelemetry.api.trace.SpanContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * One call being watched for the log: on the request path it only keeps references (the start, the
 * result or error, a few timestamps) and queues itself; {@link #get()} builds the record later, on the
 * writer thread. Thread-safe: fields are written before the queue hand-off, which publishes them.
 */
final class PendingCall implements CallObserver.Call, Supplier<CallRecord> {
    final CallObserver.CallStart start;
    final SpanContext span;
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    private final CallLogWriter writer;
    private final RecordAssembler assembler;
    volatile long firstChunkNanos;
    long endMillis;
    long endNanos;
    CallResult result;
    Throwable error;
    List<Attempt> attempts;

    PendingCall(CallObserver.CallStart start, SpanContext span, CallLogWriter writer, RecordAssembler assembler) {
        this.start = start;
        this.span = span;
        this.writer = writer;
        this.assembler = assembler;
    }

    @Override
    public void firstChunk() {
        firstChunkNanos = System.nanoTime();
    }

    @Override
    public void success(CallResult r) {
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
