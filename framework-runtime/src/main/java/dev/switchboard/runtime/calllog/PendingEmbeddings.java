package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One embeddings call being watched for the log (see {@link PendingRecord}): the start and the result or error.
 * Thread-safe: fields are written before the queue hand-off, which publishes them.
 */
final class PendingEmbeddings extends PendingRecord {
    final CallObserver.EmbeddingsStart start;
    EmbeddingsResult result;

    PendingEmbeddings(CallObserver.EmbeddingsStart start, SpanContext span, CallLogWriter writer, RecordAssembler assembler) {
        super(span, writer, assembler);
        this.start = start;
    }

    @Override
    public void success(EmbeddingsResult r) {
        result = r;
        writer.offer(this);
    }

    @Override
    public CallRecord get() {
        return assembler.assemble(this);
    }
}
