package dev.switchboard.runtime.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolCall;
import java.util.List;

/**
 * Writes the conversation as Chat API v2 {@code messages}: system, user (text or text and
 * {@code image_url} blocks), assistant ({@code content}, or {@code tool_plan} + {@code tool_calls} with
 * arguments as JSON text) and tool ({@code tool_call_id} + {@code content}). One per request; not
 * thread-safe.
 */
final class CohereMessageWriter {
    private final String provider;
    private final String model;

    CohereMessageWriter(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode out = JsonHttp.mapper().createArrayNode();
        for (ChatMessage m : messages) {
            ObjectNode msg = out.addObject().put("role", m.role().wireName());
            switch (m.role()) {
                case SYSTEM:
                    textOnly(m, "system");
                    msg.put("content", m.text());
                    break;
                case USER:
                    msg.set("content", content(m.content()));
                    break;
                case ASSISTANT:
                    textOnly(m, "assistant");
                    assistant(msg, m);
                    break;
                case TOOL:
                    textOnly(m, "tool");
                    msg.put("tool_call_id", m.toolCallId()).put("content", m.text());
                    break;
                default:
                    throw new IllegalStateException("unknown role " + m.role());
            }
        }
        return out;
    }

    private void textOnly(ChatMessage m, String role) {
        if (m.hasImages()) {
            throw ProviderException.unsupported(provider, model, "images in " + role + " messages");
        }
    }

    private static void assistant(ObjectNode msg, ChatMessage m) {
        if (m.toolCalls().isEmpty()) {
            msg.put("content", m.text());
            return;
        }
        if (!m.text().isEmpty()) {
            msg.put("tool_plan", m.text());
        }
        ArrayNode calls = msg.putArray("tool_calls");
        for (ToolCall call : m.toolCalls()) {
            calls.addObject().put("id", call.id()).put("type", "function")
                    .putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
    }

    private static JsonNode content(List<ContentPart> parts) {
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
            return JsonHttp.mapper().getNodeFactory().textNode(t.text());
        }
        ArrayNode blocks = JsonHttp.mapper().createArrayNode();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                blocks.addObject().put("type", "text").put("text", t.text());
            } else if (p instanceof ContentPart.Image image) {
                ObjectNode url = blocks.addObject().put("type", "image_url").putObject("image_url").put("url", image.url());
                if (image.detail() != null) {
                    url.put("detail", image.detail());
                }
            }
        }
        return blocks;
    }
}
