package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenAI {@code chat.completion.chunk} trees, naming the path of the first invalid field (the path for
 * chunks that {@link ChunkReader} leaves aside), and writes chunks with a {@link JsonGenerator}. Stateless and
 * thread-safe.
 */
final class ChunkCodec {
    private ChunkCodec() {
    }

    /**
     * One chunk per choice delta, the usage (top-level {@code usage}, or Groq's {@code x_groq.usage})
     * attached to the last; a usage-only chunk when {@code choices} is empty; no chunk for neither.
     */
    static List<ChatChunk> read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiFormatException("", "a chat completion chunk must be a JSON object, was " + JsonFields.kind(body));
        }
        Usage usage = ResponseCodec.usage(body.get("usage"));
        if (usage == null) {
            usage = ResponseCodec.usage(body.path("x_groq").get("usage"));
        }
        List<JsonNode> raw = JsonFields.array(body, "choices", "");
        if (raw.isEmpty()) {
            return usage == null ? List.of() : List.of(ChatChunk.usage(usage));
        }
        List<ChatChunk> chunks = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String p = path("choices", i);
            JsonNode c = JsonFields.object(raw.get(i), p);
            JsonNode delta = c.path("delta");
            String text = delta.path("content").isTextual() ? delta.get("content").textValue()
                    : delta.path("refusal").isTextual() ? delta.get("refusal").textValue() : "";
            chunks.add(new ChatChunk(c.path("index").asInt(i), text, toolDeltas(delta, path(p, "delta")),
                    FinishReason.fromOpenAi(JsonFields.string(c, "finish_reason", p)),
                    i == raw.size() - 1 ? usage : null));
        }
        return chunks;
    }

    private static List<ToolCallDelta> toolDeltas(JsonNode delta, String path) {
        if (!delta.isObject()) {
            return List.of();
        }
        List<JsonNode> raw = JsonFields.array(delta, "tool_calls", path);
        List<ToolCallDelta> out = new ArrayList<>(raw.size());
        for (int j = 0; j < raw.size(); j++) {
            JsonNode t = JsonFields.object(raw.get(j), path(path(path, "tool_calls"), j));
            JsonNode f = t.path("function");
            JsonNode args = f.path("arguments");
            out.add(new ToolCallDelta(t.path("index").asInt(j), t.path("id").textValue(), f.path("name").textValue(),
                    args.isTextual() ? args.textValue() : absent(args) ? "" : args.toString()));
        }
        return out;
    }

    /**
     * Writes a chunk to {@code g} token by token, fields in the order the earlier tree-based writer put them
     * ({@code id, object, created, model, choices, usage}), null strings as JSON null; a chunk with only usage gets
     * an empty {@code choices}. The caller owns {@code g}.
     */
    static void write(JsonGenerator g, ChatChunk c, String id, String model, long created) throws IOException {
        g.writeStartObject();
        ResponseCodec.nullable(g, "id", id);
        g.writeStringField("object", "chat.completion.chunk");
        g.writeNumberField("created", created);
        ResponseCodec.nullable(g, "model", model);
        g.writeArrayFieldStart("choices");
        boolean usageOnly = c.usage() != null && !c.hasContent() && c.finishReason() == null;
        if (!usageOnly) {
            g.writeStartObject();
            g.writeNumberField("index", c.choiceIndex());
            g.writeObjectFieldStart("delta");
            if (c.hasContent()) {
                g.writeStringField("role", "assistant");
            }
            if (!c.text().isEmpty()) {
                g.writeStringField("content", c.text());
            }
            if (!c.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCallDelta t : c.toolCalls()) {
                    toolDelta(g, t);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            ResponseCodec.nullable(g, "finish_reason", ResponseCodec.finishReason(c.finishReason()));
            g.writeEndObject();
        }
        g.writeEndArray();
        if (c.usage() != null) {
            g.writeFieldName("usage");
            ResponseCodec.writeUsage(g, c.usage());
        }
        g.writeEndObject();
    }

    private static void toolDelta(JsonGenerator g, ToolCallDelta t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", t.index());
        if (t.id() != null) {
            g.writeStringField("id", t.id());
            g.writeStringField("type", "function");
        }
        g.writeObjectFieldStart("function");
        if (t.name() != null) {
            g.writeStringField("name", t.name());
        }
        g.writeStringField("arguments", t.argumentsFragment() == null ? "" : t.argumentsFragment());
        g.writeEndObject();
        g.writeEndObject();
    }
}
