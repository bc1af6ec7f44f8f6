package dev.switchboard.runtime.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.runtime.providers.openai.OpenAiFormatException;
import dev.switchboard.runtime.providers.support.ChunkAccumulator;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.SseEvent;
import java.util.List;

/**
 * One Azure OpenAI chat stream, read with {@link OpenAiCodec}: {@code data:} chunks until the terminal
 * {@code data: [DONE]}. Azure specifics: the first event is annotation-only ({@code choices: []},
 * {@code prompt_filter_results}, empty {@code id} and {@code model}), and asynchronous filtering adds
 * chunks without {@code delta}; both yield no chunk and never set the answer's id or model. Events arrive
 * sequentially; not for concurrent use.
 */
final class AzureStream implements JsonHttp.StreamReader<ChatResponse> {
    private static final String DONE = "[DONE]";
    private final OpenAiCodec codec;
    private final JsonHttp http;
    private final String provider;
    private final String deployment;
    private final ChunkAccumulator accumulator;
    private int events;
    private boolean done;
    private String id;
    private String model;

    AzureStream(OpenAiCodec codec, JsonHttp http, String provider, String deployment, ChunkSink sink) {
        this.codec = codec;
        this.http = http;
        this.provider = provider;
        this.deployment = deployment;
        this.accumulator = new ChunkAccumulator(sink);
    }

    @Override
    public void onEvent(SseEvent event) {
        String data = event.data().strip();
        if (done || data.isEmpty()) {
            return;
        }
        events++;
        if (DONE.equals(data)) {
            done = true;
            return;
        }
        JsonNode node = http.eventData(deployment, data);
        if (codec.isError(node)) {
            throw AzureErrors.fromBody(codec, provider, deployment, node);
        }
        List<ChatChunk> chunks;
        try {
            chunks = codec.readChunks(node);
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(provider, deployment, "stream chunk " + e.getMessage(), e);
        }
        String chunkId = node.path("id").textValue();
        String chunkModel = node.path("model").textValue();
        id = id == null && chunkId != null && !chunkId.isEmpty() ? chunkId : id;
        model = model == null && chunkModel != null && !chunkModel.isEmpty() ? chunkModel : model;
        chunks.forEach(accumulator::emit);
    }

    @Override
    public boolean terminated() {
        return done;
    }

    @Override
    public String progress() {
        return events == 0 ? "the body ended without any event" : "the body ended after " + events + " events without data: [DONE]";
    }

    @Override
    public ChatResponse result() {
        return accumulator.response(id, model == null ? deployment : model);
    }
}
