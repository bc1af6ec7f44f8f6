package dev.switchboard.runtime.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.providers.support.ChunkAccumulator;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ToolCallDelta;
import dev.switchboard.spi.http.SseEvent;
import java.util.List;

/**
 * Reads a Chat API v2 event stream ({@code event:} + {@code data:} with a {@code type} discriminator):
 * {@code message-start} (id), {@code content-delta} and {@code tool-plan-delta} as text chunks,
 * {@code tool-call-start} / {@code tool-call-delta} as tool-call fragments ({@code delta.message.tool_calls}
 * is an object), and the terminal {@code message-end} with finish reason and usage. {@code data: [DONE]},
 * citations, debug and unknown events are ignored. One per stream; not thread-safe.
 */
final class CohereStreamReader implements JsonHttp.StreamReader<ChatResponse> {
    private final JsonHttp http;
    private final String model;
    private final ChunkAccumulator chunks;
    private String id;
    private String lastEvent;
    private volatile boolean terminated;

    CohereStreamReader(JsonHttp http, String model, ChunkSink sink) {
        this.http = http;
        this.model = model;
        this.chunks = new ChunkAccumulator(sink);
    }

    @Override
    public void onEvent(SseEvent event) {
        if (terminated || "[DONE]".equals(event.data().trim())) {
            return;
        }
        JsonNode data = http.eventData(model, event.data());
        String type = data.path("type").isTextual() ? data.get("type").textValue() : event.event();
        lastEvent = type;
        JsonNode message = data.path("delta").path("message");
        switch (type) {
            case "message-start":
                id = CohereResponseReader.textOrNull(data.get("id"));
                break;
            case "content-delta":
                text(message.path("content").get("text"));
                break;
            case "tool-plan-delta":
                text(message.get("tool_plan"));
                break;
            case "tool-call-start": {
                JsonNode call = message.path("tool_calls");
                JsonNode args = call.path("function").get("arguments");
                tool(new ToolCallDelta(data.path("index").asInt(), CohereResponseReader.textOrNull(call.get("id")),
                        CohereResponseReader.textOrNull(call.path("function").get("name")),
                        args != null && args.isTextual() ? args.textValue() : ""));
                break;
            }
            case "tool-call-delta": {
                JsonNode args = message.path("tool_calls").path("function").get("arguments");
                if (args != null && args.isTextual() && !args.textValue().isEmpty()) {
                    tool(new ToolCallDelta(data.path("index").asInt(), null, null, args.textValue()));
                }
                break;
            }
            case "message-end": {
                JsonNode delta = data.path("delta");
                chunks.emit(new ChatChunk(0, "", List.of(),
                        CohereResponseReader.finishReason(CohereResponseReader.textOrNull(delta.get("finish_reason"))),
                        CohereResponseReader.usage(delta.get("usage"))));
                terminated = true;
                break;
            }
            default:
                break; // content-start/end, tool-call-end, citations, debug, later additions
        }
    }

    private void text(JsonNode text) {
        if (text != null && text.isTextual() && !text.textValue().isEmpty()) {
            chunks.emit(ChatChunk.text(text.textValue()));
        }
    }

    private void tool(ToolCallDelta delta) {
        chunks.emit(new ChatChunk(0, "", List.of(delta), null, null));
    }

    @Override
    public boolean terminated() {
        return terminated;
    }

    @Override
    public ChatResponse result() {
        return chunks.response(id, model);
    }

    @Override
    public String progress() {
        return lastEvent == null ? "no event received" : "no message-end after '" + lastEvent + "'";
    }
}
