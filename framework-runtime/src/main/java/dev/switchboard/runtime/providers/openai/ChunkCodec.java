package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;
import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes OpenAI {@code chat.completion.chunk} objects. Stateless and thread-safe. */
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

    static ObjectNode write(ChatChunk c, String id, String model, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ArrayNode choices = o.putArray("choices");
        boolean usageOnly = c.usage() != null && !c.hasContent() && c.finishReason() == null;
        if (!usageOnly) {
            ObjectNode choice = choices.addObject().put("index", c.choiceIndex());
            ObjectNode delta = choice.putObject("delta");
            if (c.hasContent()) {
                delta.put("role", "assistant");
            }
            if (!c.text().isEmpty()) {
                delta.put("content", c.text());
            }
            if (!c.toolCalls().isEmpty()) {
                ArrayNode calls = delta.putArray("tool_calls");
                c.toolCalls().forEach(t -> calls.add(toolDelta(t)));
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", ResponseCodec.finishReason(c.finishReason()));
        }
        if (c.usage() != null) {
            o.set("usage", ResponseCodec.writeUsage(c.usage()));
        }
        return o;
    }

    private static ObjectNode toolDelta(ToolCallDelta t) {
        ObjectNode o = NODES.objectNode().put("index", t.index());
        if (t.id() != null) {
            o.put("id", t.id()).put("type", "function");
        }
        ObjectNode f = o.putObject("function");
        if (t.name() != null) {
            f.put("name", t.name());
        }
        f.put("arguments", t.argumentsFragment() == null ? "" : t.argumentsFragment());
        return o;
    }
}
