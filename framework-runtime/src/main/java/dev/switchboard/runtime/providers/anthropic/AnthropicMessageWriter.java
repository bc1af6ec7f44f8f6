package dev.switchboard.runtime.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the conversation in Messages API form: system messages hoisted into one {@code system} text,
 * assistant tool calls as {@code tool_use} blocks (arguments parsed into the {@code input} object), and
 * tool results as {@code tool_result} blocks of a user message, consecutive results sharing one message.
 * One per request; not thread-safe.
 */
final class AnthropicMessageWriter {
    private final String provider;
    private final String model;

    AnthropicMessageWriter(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** The system messages' texts joined by a blank line, or null when there are none. */
    String system(List<ChatMessage> messages) {
        List<String> parts = new ArrayList<>();
        for (ChatMessage m : messages) {
            if (m.role() == Role.SYSTEM) {
                if (m.hasImages()) {
                    throw ProviderException.unsupported(provider, model, "images in system messages");
                }
                if (!m.text().isEmpty()) {
                    parts.add(m.text());
                }
            }
        }
        return parts.isEmpty() ? null : String.join("\n\n", parts);
    }

    /** The {@code messages} array (every role but system). */
    ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode out = JsonHttp.mapper().createArrayNode();
        ArrayNode toolResults = null;
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM:
                    continue;
                case TOOL:
                    if (toolResults == null) {
                        toolResults = out.addObject().put("role", "user").putArray("content");
                    }
                    toolResults.add(toolResult(m));
                    continue;
                case USER:
                    out.addObject().put("role", "user").set("content", content(m.content()));
                    break;
                case ASSISTANT:
                    out.addObject().put("role", "assistant").set("content", assistantContent(m));
                    break;
                default:
                    throw new IllegalStateException("unknown role " + m.role());
            }
            toolResults = null;
        }
        return out;
    }

    private JsonNode content(List<ContentPart> parts) {
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
            return JsonHttp.mapper().getNodeFactory().textNode(t.text());
        }
        ArrayNode blocks = JsonHttp.mapper().createArrayNode();
        addBlocks(blocks, parts);
        return blocks;
    }

    private JsonNode assistantContent(ChatMessage m) {
        if (m.toolCalls().isEmpty()) {
            return content(m.content());
        }
        ArrayNode blocks = JsonHttp.mapper().createArrayNode();
        addBlocks(blocks, m.content());
        for (ToolCall call : m.toolCalls()) {
            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            use.set("input", arguments(call));
        }
        return blocks;
    }

    private ObjectNode toolResult(ChatMessage m) {
        ObjectNode result = JsonHttp.object().put("type", "tool_result").put("tool_use_id", m.toolCallId());
        if (m.hasImages()) {
            ArrayNode blocks = result.putArray("content");
            addBlocks(blocks, m.content());
        } else {
            result.put("content", m.text());
        }
        return result;
    }

    private void addBlocks(ArrayNode blocks, List<ContentPart> parts) {
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                if (!t.text().isEmpty()) { // Anthropic rejects empty text blocks
                    blocks.addObject().put("type", "text").put("text", t.text());
                }
            } else if (p instanceof ContentPart.Image image) {
                blocks.add(image(image));
            }
        }
    }

    private ObjectNode image(ContentPart.Image image) {
        ObjectNode block = JsonHttp.object().put("type", "image");
        if (image.url().startsWith("data:")) {
            String mediaType = image.dataMediaType();
            String data = image.dataBase64();
            if (mediaType == null || data == null || !image.url().contains(";base64,")) {
                throw ProviderException.unsupported(provider, model, "image data URLs that are not base64 with a media type");
            }
            block.putObject("source").put("type", "base64").put("media_type", mediaType).put("data", data);
        } else if (image.url().startsWith("https://")) {
            block.putObject("source").put("type", "url").put("url", image.url());
        } else {
            throw ProviderException.unsupported(provider, model, "image URLs other than https: or data: URLs");
        }
        return block;
    }

    private JsonNode arguments(ToolCall call) {
        JsonNode input;
        try {
            input = JsonHttp.parse(call.arguments());
        } catch (IllegalArgumentException e) {
            input = null;
        }
        if (input == null || !input.isObject()) {
            throw ProviderException.unsupported(provider, model,
                    "tool call arguments that are not a JSON object (call " + call.id() + ")");
        }
        return input;
    }
}
