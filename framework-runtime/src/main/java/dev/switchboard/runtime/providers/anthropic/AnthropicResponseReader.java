package dev.switchboard.runtime.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Messages API answer: text blocks joined, {@code tool_use} blocks as tool calls (input as JSON
 * text), the forced answer tool's input as the text of a structured answer; thinking and server-tool
 * blocks are skipped. Stateless and thread-safe.
 */
final class AnthropicResponseReader {
    private AnthropicResponseReader() {
    }

    /**
     * @param answerTool   the forced tool of a structured-output request, or null
     * @param requestModel the model asked for, used when the answer names none
     * @throws IllegalArgumentException when the body is not a message
     */
    static ChatResponse read(JsonNode body, AnswerTool answerTool, String requestModel) {
        JsonNode content = body.get("content");
        if (!body.isObject() || content == null || !content.isArray()) {
            throw new IllegalArgumentException("the answer has no content array");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        String answer = null;
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            if ("text".equals(type)) {
                text.append(block.path("text").asText());
            } else if ("tool_use".equals(type)) {
                String name = required(block, "name");
                JsonNode input = block.path("input");
                if (answerTool != null && answerTool.name().equals(name)) {
                    answer = answerTool.answer(input.isMissingNode() ? JsonHttp.object() : input);
                } else {
                    calls.add(new ToolCall(required(block, "id"), name, input.isMissingNode() ? "{}" : input.toString()));
                }
            }
        }
        FinishReason finish = finishReason(textOrNull(body.get("stop_reason")), answer != null);
        List<ContentPart> parts = answer != null ? List.of(ContentPart.text(answer))
                : text.length() == 0 && !calls.isEmpty() ? List.of() : List.of(ContentPart.text(text.toString()));
        ChatMessage message = new ChatMessage(Role.ASSISTANT, parts, calls, null, null);
        String model = textOrNull(body.get("model"));
        return new ChatResponse(textOrNull(body.get("id")), model != null ? model : requestModel,
                List.of(new Choice(0, message, finish)), usage(body.get("usage")));
    }

    /**
     * Maps a {@code stop_reason}; with {@code structuredAnswer} the forced tool's {@code tool_use} is a
     * normal end.
     */
    static FinishReason finishReason(String stopReason, boolean structuredAnswer) {
        if (stopReason == null) {
            return null;
        }
        switch (stopReason) {
            case "end_turn": case "stop_sequence": case "pause_turn": return FinishReason.STOP;
            case "max_tokens": case "model_context_window_exceeded": return FinishReason.LENGTH;
            case "tool_use": return structuredAnswer ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case "refusal": return FinishReason.CONTENT_FILTER;
            default: return FinishReason.OTHER;
        }
    }

    /** Usage: input counts uncached, cache-write and cache-read tokens; cached counts cache reads. */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long cacheRead = count(usage.get("cache_read_input_tokens"));
        long input = count(usage.get("input_tokens")) + count(usage.get("cache_creation_input_tokens")) + cacheRead;
        return new Usage(input, count(usage.get("output_tokens")), cacheRead);
    }

    static long count(JsonNode n) {
        return n != null && n.isNumber() ? Math.max(0, n.asLong()) : 0;
    }

    static String textOrNull(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.textValue();
    }

    private static String required(JsonNode block, String field) {
        String v = textOrNull(block.get(field));
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("a tool_use block has no " + field);
        }
        return v;
    }
}
