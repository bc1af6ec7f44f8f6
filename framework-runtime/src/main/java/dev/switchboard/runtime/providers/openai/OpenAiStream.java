package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.runtime.providers.support.ChunkAccumulator;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.spi.http.SseListener;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;

/**
 * One OpenAI chat stream: turns {@code data:} events into chunks for the sink and the aggregate, notes
 * the terminal {@code [DONE]}, and gives the final answer when the body ends. An event that is not JSON
 * fails the stream as malformed; an {@code {"error":…}} event fails it with the error it reports. Well-formed
 * chunks are read with a streaming parser ({@link ChunkReader}), anything else as a tree. Events
 * arrive sequentially (see {@link SseListener}); not for concurrent use.
 */
final class OpenAiStream implements SseListener {
    private static final String DONE = "[DONE]";
    private final OpenAiCodec codec;
    private final String provider;
    private final String model;
    private final Future<?> result;
    private final ChunkAccumulator accumulator;
    private volatile boolean started;
    private volatile boolean done;
    private volatile String id;
    private volatile String responseModel;

    /** @param result the caller's future: once it is done (cancelled), further events stop the stream */
    OpenAiStream(OpenAiCodec codec, String provider, String model, ChunkSink sink, Future<?> result) {
        this.codec = codec;
        this.provider = provider;
        this.model = model;
        this.result = result;
        this.accumulator = new ChunkAccumulator(sink);
    }

    @Override
    public void onEvent(SseEvent event) {
        if (result.isDone()) {
            throw new CancellationException("the stream's caller gave up");
        }
        started = true;
        String data = event.data().strip();
        if (done || data.isEmpty()) {
            return;
        }
        if (DONE.equals(data)) {
            done = true;
            return;
        }
        ChunkReader.Chunk chunk = "error".equals(event.event()) ? null : codec.readWellFormedChunk(data);
        if (chunk == null) {
            onOddEvent(event, data);
            return;
        }
        note(chunk.id(), chunk.model());
        emit(chunk.chunks());
    }

    /**
     * The tree path, for what the streaming reader leaves aside: an error event or object, text that is not JSON,
     * a chunk that does not follow the format (reported naming the field at fault) or that only the tree reader
     * reads (arguments sent as a JSON value…).
     */
    private void onOddEvent(SseEvent event, String data) {
        JsonNode node = parse(data);
        if (codec.isError(node) || "error".equals(event.event())) {
            throw codec.readErrorBody(provider, model, node);
        }
        note(node.path("id").textValue(), node.path("model").textValue());
        emit(chunks(node));
    }

    /** The first id and model seen are the answer's. */
    private void note(String chunkId, String chunkModel) {
        if (id == null) {
            id = chunkId;
        }
        if (responseModel == null) {
            responseModel = chunkModel;
        }
    }

    private void emit(Iterable<ChatChunk> chunks) {
        for (ChatChunk chunk : chunks) {
            accumulator.emit(chunk); // folds it and passes it on unless it is empty
        }
    }

    private JsonNode parse(String data) {
        try {
            return codec.parse(data);
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(provider, model, "stream event is " + e.problem(), e);
        }
    }

    private Iterable<ChatChunk> chunks(JsonNode node) {
        try {
            return codec.readChunks(node);
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(provider, model, "stream chunk " + e.getMessage(), e);
        }
    }

    /**
     * The failure a transport error means: a connection that breaks after the first event cut the stream
     * ({@code STREAM_INTERRUPTED}); anything else maps as for a plain call.
     */
    ProviderException failure(Throwable t) {
        ProviderException e = ProviderException.fromFailure(provider, model, t);
        if (started && e.kind() == Kind.CONNECTION) {
            return ProviderException.builder(provider).model(model).kind(Kind.STREAM_INTERRUPTED).cause(e.getCause())
                    .message("stream from " + provider + " ended before its terminal event: " + e.getMessage()).build();
        }
        return e;
    }

    /** The aggregated answer once the body ended. @throws ProviderException for an error status or a cut stream */
    ChatResponse finish(HttpResult result) {
        if (!result.isSuccess()) {
            throw codec.readError(provider, model, result);
        }
        if (!done) {
            throw ProviderException.streamInterrupted(provider, model, "the body ended without data: [DONE]");
        }
        try {
            String m = responseModel;
            return accumulator.response(id, m == null || m.isEmpty() ? model : m);
        } catch (IllegalStateException e) {
            throw ProviderException.malformed(provider, model, e.getMessage(), e);
        }
    }
}
