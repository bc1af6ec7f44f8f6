package dev.switchboard.runtime.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.support.ChunkAccumulator;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import dev.switchboard.spi.http.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code streamGenerateContent?alt=sse} stream: every {@code data:} event is a whole
 * {@code GenerateContentResponse}; its candidates' text and function calls go to the sink as chunks (a
 * function call arrives whole, as one fragment with id, name and arguments) and are folded by the shared
 * {@link ChunkAccumulator}. Gemini
 * sends no terminal marker: the stream is {@linkplain #terminated() complete} once every candidate reported
 * a {@code finishReason} (or the prompt was blocked); a body that ends before is a cut stream. Usage is
 * cumulative in every event; the last one goes to the sink as a final usage-only chunk. Events arrive
 * sequentially; not for concurrent use.
 */
final class GeminiStream implements JsonHttp.StreamReader<ChatResponse> {
    private final JsonHttp http;
    private final String provider;
    private final String model;
    private final ChunkAccumulator accumulator;
    private final Map<Integer, CandidateState> candidates = new TreeMap<>();
    private int events;
    private boolean blocked;
    private Usage usage;
    private String id;
    private String responseModel;

    GeminiStream(JsonHttp http, String provider, String model, ChunkSink sink) {
        this.http = http;
        this.provider = provider;
        this.model = model;
        this.accumulator = new ChunkAccumulator(sink);
    }

    @Override
    public void onEvent(SseEvent event) {
        String data = event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        events++;
        JsonNode body = http.eventData(model, data);
        if (GeminiErrors.isError(body)) {
            throw GeminiErrors.fromBody(provider, model, body);
        }
        try {
            GeminiResponseReader.requireObject(body, "a stream event");
            read(body);
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed(provider, model, "stream event: " + e.getMessage(), e);
        }
    }

    private void read(JsonNode body) {
        Usage u = GeminiResponseReader.usage(body.get("usageMetadata"));
        usage = u != null ? u : usage;
        id = id != null ? id : body.path("responseId").textValue();
        responseModel = responseModel != null ? responseModel : body.path("modelVersion").textValue();
        List<JsonNode> raw = GeminiResponseReader.candidates(body);
        if (raw.isEmpty() && GeminiResponseReader.blockReason(body) != null) {
            blocked = true;
            accumulator.emit(ChatChunk.finish(0, FinishReason.CONTENT_FILTER));
            return;
        }
        for (int i = 0; i < raw.size(); i++) {
            JsonNode c = raw.get(i);
            GeminiResponseReader.requireObject(c, "candidates[" + i + "]");
            int index = c.path("index").asInt(i);
            CandidateState state = candidates.computeIfAbsent(index, k -> new CandidateState());
            GeminiResponseReader.Parts parts = GeminiResponseReader.parts(c, state.calls);
            List<ToolCallDelta> deltas = new ArrayList<>(parts.calls().size());
            for (ToolCall call : parts.calls()) {
                deltas.add(new ToolCallDelta(state.calls++, call.id(), call.name(), call.arguments()));
            }
            FinishReason finish = GeminiResponseReader.finishReason(c.path("finishReason").textValue(), state.calls > 0);
            state.finish = finish != null ? finish : state.finish;
            accumulator.emit(new ChatChunk(index, parts.text(), deltas, finish, null));
        }
    }

    @Override
    public boolean terminated() {
        return blocked || !candidates.isEmpty() && candidates.values().stream().allMatch(c -> c.finish != null);
    }

    @Override
    public String progress() {
        return events == 0 ? "the body ended without any event"
                : "the body ended after " + events + " events, before a chunk with a finishReason";
    }

    /** Sends the final usage chunk and returns the aggregated answer. */
    @Override
    public ChatResponse result() {
        if (usage != null) {
            accumulator.emit(ChatChunk.usage(usage));
        }
        return accumulator.response(id, responseModel == null || responseModel.isEmpty() ? model : responseModel);
    }

    /** What the stream needs to know of a candidate: how many calls it made, and whether it finished. */
    private static final class CandidateState {
        int calls;
        FinishReason finish;
    }
}
