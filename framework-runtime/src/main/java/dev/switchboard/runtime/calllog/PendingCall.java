package dev.switchboard.runtime.calllog;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ContentPart;
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

    /**
     * Reads, without building anything, the objects {@link #get} starts from (the start, its variant and invocation, the
     * request's messages, the result, its answer and attempts, and their first strings), returning a number made of them
     * so that the reads are kept. They were made on an event loop, often on the other core, and are rarely in this
     * core's cache: the writer touches a whole take of calls in one tight loop first ({@link CallLogWriter}), so that
     * the processor waits for many of these misses at once instead of one after another inside each record's build.
     */
    int touch() {
        var s = start;
        var v = s.variant();
        int n = length(s.callId()) + length(v.deployment()) + length(v.variant()) + length(v.version())
                + s.invocation().context().size() + s.invocation().metadata().size();
        for (ChatMessage m : s.request().messages()) {
            n += m.content().size() + m.toolCalls().size();
            if (!m.content().isEmpty() && m.content().get(0) instanceof ContentPart.Text t) {
                n += length(t.text());
            }
        }
        CallResult r = result;
        if (r != null) {
            ChatResponse resp = r.response();
            n += r.attempts().size() + length(resp.model()) + length(r.answeredBy().provider()) + length(r.answeredBy().model());
            if (!resp.choices().isEmpty()) {
                ChatMessage m = resp.message();
                if (!m.content().isEmpty() && m.content().get(0) instanceof ContentPart.Text t) {
                    n += length(t.text());
                }
            }
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
