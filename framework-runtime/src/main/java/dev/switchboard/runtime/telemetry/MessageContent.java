package dev.switchboard.runtime.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ToolCall;
import java.util.List;

/**
 * Message contents in the JSON shape of {@code gen_ai.input.messages} / {@code gen_ai.output.messages}
 * (GenAI conventions v1.37): {@code [{"role":"user","parts":[{"type":"text","content":"…"}]}]}, with
 * {@code tool_call} and {@code tool_call_response} parts and, for output, {@code finish_reason}. Images
 * are reduced to {@code {"type":"image"}} (their bytes never go on a span). Stateless.
 */
final class MessageContent {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageContent() {
    }

    static String input(List<ChatMessage> messages) {
        ArrayNode out = MAPPER.createArrayNode();
        for (ChatMessage m : messages) {
            out.add(message(m));
        }
        return out.toString();
    }

    static String output(ChatResponse response) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Choice c : response.choices()) {
            ObjectNode m = message(c.message());
            m.put("finish_reason", c.finishReason() == null ? "stop" : c.finishReason().wireName());
            out.add(m);
        }
        return out.toString();
    }

    private static ObjectNode message(ChatMessage m) {
        ObjectNode node = MAPPER.createObjectNode().put("role", m.role().wireName());
        ArrayNode parts = node.putArray("parts");
        if (m.toolCallId() != null) {
            parts.addObject().put("type", "tool_call_response").put("id", m.toolCallId()).put("response", m.text());
            return node;
        }
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                parts.addObject().put("type", "text").put("content", t.text());
            } else {
                parts.addObject().put("type", "image");
            }
        }
        for (ToolCall tc : m.toolCalls()) {
            ObjectNode call = parts.addObject().put("type", "tool_call").put("id", tc.id()).put("name", tc.name());
            try {
                call.set("arguments", MAPPER.readTree(tc.arguments()));
            } catch (Exception e) {
                call.put("arguments", tc.arguments());
            }
        }
        return node;
    }
}
