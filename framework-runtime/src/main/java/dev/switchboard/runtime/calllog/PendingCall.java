package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ContentPart;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One chat call being watched for the log (see {@link PendingRecord}): the start, the result or error, the time of
 * the first chunk. Thread-safe: fields are written before the queue hand-off, which publishes them.
 */
final class PendingCall extends PendingRecord {
    final CallObserver.CallStart start;
    volatile long firstChunkNanos;
    CallResult result;

    PendingCall(CallObserver.CallStart start, SpanContext span, CallLogWriter writer, RecordAssembler assembler) {
        super(span, writer, assembler);
        this.start = start;
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
