package dev.switchboard.runtime.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
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
 * Reads a Chat API v2 answer: text content blocks joined (thinking skipped), {@code tool_calls} with their
 * JSON-text arguments, {@code tool_plan} as the text of a tool-call answer without content, the finish
 * reason, and usage from {@code usage.tokens} (numbers may be floats) with {@code usage.cached_tokens}.
 * Stateless and thread-safe.
 */
final class CohereResponseReader {
    private CohereResponseReader() {
    }

    /**
     * @param requestModel the model asked for (Cohere's answer does not name it)
     * @throws IllegalArgumentException when the body is not a chat answer
     */
    static ChatResponse read(JsonNode body, String requestModel) {
        JsonNode message = body.get("message");
        if (!body.isObject() || message == null || !message.isObject()) {
            throw new IllegalArgumentException("the answer has no message object");
        }
        StringBuilder text = new StringBuilder();
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            text.append(content.textValue());
        } else if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText())) {
                    text.append(block.path("text").asText());
                }
            }
        }
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (JsonNode call : toolCalls) {
                JsonNode function = call.path("function");
                String id = textOrNull(call.get("id"));
                String name = textOrNull(function.get("name"));
                if (id == null || name == null) {
                    throw new IllegalArgumentException("a tool call has no id or function name");
                }
                JsonNode args = function.get("arguments");
                calls.add(new ToolCall(id, name, args == null || args.isNull() ? "{}" : args.isTextual() ? args.textValue() : args.toString()));
            }
        }
        String plan = textOrNull(message.get("tool_plan"));
        if (text.length() == 0 && !calls.isEmpty() && plan != null) {
            text.append(plan);
        }
        List<ContentPart> parts = text.length() == 0 && !calls.isEmpty() ? List.of() : List.of(ContentPart.text(text.toString()));
        ChatMessage answer = new ChatMessage(Role.ASSISTANT, parts, calls, null, null);
        return new ChatResponse(textOrNull(body.get("id")), requestModel,
                List.of(new Choice(0, answer, finishReason(textOrNull(body.get("finish_reason"))))), usage(body.get("usage")));
    }

    static FinishReason finishReason(String value) {
        if (value == null) {
            return null;
        }
        switch (value) {
            case "COMPLETE": case "STOP_SEQUENCE": return FinishReason.STOP;
            case "MAX_TOKENS": return FinishReason.LENGTH;
            case "TOOL_CALL": return FinishReason.TOOL_CALLS;
            case "ERROR": case "TIMEOUT": return FinishReason.ERROR;
            default: return FinishReason.OTHER;
        }
    }

    /** Usage from {@code tokens} (falling back to {@code billed_units}), cached from {@code cached_tokens}. */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        JsonNode tokens = usage.path("tokens");
        if (!tokens.isObject()) {
            tokens = usage.path("billed_units");
        }
        return new Usage(count(tokens.get("input_tokens")), count(tokens.get("output_tokens")), count(usage.get("cached_tokens")));
    }

    private static long count(JsonNode n) {
        return n != null && n.isNumber() ? Math.max(0, Math.round(n.asDouble())) : 0;
    }

    static String textOrNull(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.textValue();
    }
}
