package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.Map;
import java.util.Set;

/** Writes a {@link ChatRequest} as an OpenAI Chat Completions request tree. Stateless and thread-safe. */
final class RequestWriter {
    /** Fields the typed accessors own; an {@code extra()} entry of the same name is not written. */
    static final Set<String> TYPED_FIELDS = Set.of("model", "messages", "stream", "stream_options", "temperature",
            "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "n", "tools", "tool_choice",
            "response_format");

    private RequestWriter() {
    }

    static ObjectNode write(ChatRequest r, boolean stream) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        ArrayNode messages = o.putArray("messages");
        r.messages().forEach(m -> messages.add(message(m)));
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        if (r.maxTokens() != null) {
            o.put("max_tokens", r.maxTokens());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.seed() != null) {
            o.put("seed", r.seed());
        }
        if (r.n() != null) {
            o.put("n", r.n());
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = o.putArray("tools");
            r.tools().forEach(t -> tools.add(tool(t)));
        }
        if (r.toolChoice() != null) {
            o.set("tool_choice", toolChoice(r.toolChoice()));
        }
        if (r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            o.set("response_format", responseFormat(r.responseFormat()));
        }
        if (stream) {
            o.put("stream", true);
            if (r.includeUsage()) {
                o.putObject("stream_options").put("include_usage", true);
            }
        }
        for (Map.Entry<String, Object> e : r.extra().entrySet()) {
            if (!TYPED_FIELDS.contains(e.getKey())) {
                o.set(e.getKey(), JsonFields.toNode(e.getValue()));
            }
        }
        return o;
    }

    static ObjectNode message(ChatMessage m) {
        ObjectNode o = NODES.objectNode();
        o.put("role", m.role().wireName());
        if (m.content().isEmpty() && m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty()) {
            o.putNull("content");
        } else if (m.content().isEmpty()) {
            o.put("content", "");
        } else if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.Text t) {
            o.put("content", t.text());
        } else {
            ArrayNode parts = o.putArray("content");
            m.content().forEach(p -> parts.add(part(p)));
        }
        if (m.name() != null) {
            o.put("name", m.name());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = o.putArray("tool_calls");
            m.toolCalls().forEach(c -> calls.add(toolCall(c)));
        }
        if (m.toolCallId() != null) {
            o.put("tool_call_id", m.toolCallId());
        }
        return o;
    }

    private static ObjectNode part(ContentPart p) {
        ObjectNode o = NODES.objectNode();
        if (p instanceof ContentPart.Text t) {
            o.put("type", "text").put("text", t.text());
        } else if (p instanceof ContentPart.Image img) {
            ObjectNode url = o.put("type", "image_url").putObject("image_url").put("url", img.url());
            if (img.detail() != null) {
                url.put("detail", img.detail());
            }
        }
        return o;
    }

    static ObjectNode toolCall(ToolCall c) {
        ObjectNode o = NODES.objectNode().put("id", c.id()).put("type", "function");
        o.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        return o;
    }

    private static ObjectNode tool(ToolDefinition t) {
        ObjectNode o = NODES.objectNode().put("type", "function");
        ObjectNode f = o.putObject("function").put("name", t.name());
        if (t.description() != null) {
            f.put("description", t.description());
        }
        if (t.parameters() != null) {
            f.set("parameters", t.parameters());
        }
        if (t.strict()) {
            f.put("strict", true);
        }
        return o;
    }

    private static JsonNode toolChoice(ToolChoice c) {
        switch (c.mode()) {
            case NONE: return NODES.textNode("none");
            case REQUIRED: return NODES.textNode("required");
            case FUNCTION:
                ObjectNode o = NODES.objectNode().put("type", "function");
                o.putObject("function").put("name", c.functionName());
                return o;
            default: return NODES.textNode("auto");
        }
    }

    private static ObjectNode responseFormat(ResponseFormat f) {
        if (f.type() == ResponseFormat.Type.JSON_OBJECT) {
            return NODES.objectNode().put("type", "json_object");
        }
        ObjectNode o = NODES.objectNode().put("type", "json_schema");
        o.putObject("json_schema").put("name", f.name()).put("strict", f.strict()).set("schema", f.schema());
        return o;
    }
}
