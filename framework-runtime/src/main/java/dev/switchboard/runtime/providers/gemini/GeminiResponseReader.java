package dev.switchboard.runtime.providers.gemini;

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
 * Reads a Gemini {@code GenerateContentResponse}: candidates become choices (text parts joined, thought
 * parts skipped, {@code functionCall} parts tool calls with ids {@code call_<n>} when Gemini sends none and
 * the thought signature attached, see {@link ThoughtSignatures}); a prompt blocked with HTTP 200 (no
 * candidates, {@code promptFeedback.blockReason}) becomes one empty choice with finish
 * {@link FinishReason#CONTENT_FILTER}. Methods throw {@link IllegalArgumentException} describing a body that
 * does not follow the format. Stateless and thread-safe.
 */
final class GeminiResponseReader {
    private GeminiResponseReader() {
    }

    /** The parts of one candidate in one response or stream chunk. */
    record Parts(String text, List<ToolCall> calls) {
    }

    static ChatResponse read(JsonNode body, String requestedModel) {
        requireObject(body, "a GenerateContentResponse");
        List<JsonNode> candidates = candidates(body);
        Usage usage = usage(body.get("usageMetadata"));
        String id = body.path("responseId").textValue();
        String model = model(body, requestedModel);
        if (candidates.isEmpty()) {
            if (blockReason(body) == null) {
                throw new IllegalArgumentException("no candidates and no promptFeedback.blockReason");
            }
            return ChatResponse.ofText(id, model, "", FinishReason.CONTENT_FILTER, usage);
        }
        List<Choice> choices = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode c = candidates.get(i);
            requireObject(c, "candidates[" + i + "]");
            Parts parts = parts(c, 0);
            List<ContentPart> content = parts.text().isEmpty() ? List.of() : List.of(ContentPart.text(parts.text()));
            ChatMessage message = new ChatMessage(Role.ASSISTANT, content, parts.calls(), null, null);
            choices.add(new Choice(c.path("index").asInt(i), message,
                    finishReason(c.path("finishReason").textValue(), !parts.calls().isEmpty())));
        }
        return new ChatResponse(id, model, choices, usage);
    }

    static List<JsonNode> candidates(JsonNode body) {
        JsonNode c = body.get("candidates");
        if (GeminiJson.absent(c)) {
            return List.of();
        }
        if (!c.isArray()) {
            throw new IllegalArgumentException("candidates must be an array");
        }
        List<JsonNode> out = new ArrayList<>(c.size());
        c.forEach(out::add);
        return out;
    }

    /** The reason the prompt was blocked, or null. */
    static String blockReason(JsonNode body) {
        return body.path("promptFeedback").path("blockReason").textValue();
    }

    static String model(JsonNode body, String requestedModel) {
        String v = body.path("modelVersion").textValue();
        return v == null || v.isEmpty() ? requestedModel : v;
    }

    /**
     * The text and function calls of a candidate's {@code content.parts}; synthesized call ids count from
     * {@code firstCall} (a stream continues the count across chunks).
     */
    static Parts parts(JsonNode candidate, int firstCall) {
        JsonNode parts = candidate.path("content").path("parts");
        if (parts.isMissingNode() || parts.isNull()) {
            return new Parts("", List.of());
        }
        if (!parts.isArray()) {
            throw new IllegalArgumentException("content.parts must be an array");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode p : parts) {
            JsonNode call = p.get("functionCall");
            if (call != null && call.isObject()) {
                calls.add(toolCall(call, p.path("thoughtSignature").textValue(), firstCall + calls.size()));
            } else if (p.path("text").isTextual() && !p.path("thought").asBoolean(false)) {
                text.append(p.get("text").textValue());
            }
        }
        return new Parts(text.toString(), calls);
    }

    private static ToolCall toolCall(JsonNode call, String signature, int index) {
        String name = call.path("name").textValue();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("functionCall without a name");
        }
        JsonNode args = call.get("args");
        String id = call.path("id").textValue();
        return new ToolCall(ThoughtSignatures.attach(id == null || id.isEmpty() ? "call_" + index : id, signature), name,
                GeminiJson.absent(args) ? "{}" : args.toString());
    }

    /**
     * Maps a Gemini {@code finishReason}: {@code STOP} is {@code TOOL_CALLS} when the candidate called
     * functions; safety-type reasons are {@code CONTENT_FILTER}; failed function calls {@code ERROR}.
     */
    static FinishReason finishReason(String reason, boolean calledFunctions) {
        if (reason == null) {
            return null;
        }
        switch (reason) {
            case "STOP":
                return calledFunctions ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "MAX_TOKENS":
                return FinishReason.LENGTH;
            case "SAFETY": case "RECITATION": case "BLOCKLIST": case "PROHIBITED_CONTENT": case "SPII":
            case "IMAGE_SAFETY": case "IMAGE_PROHIBITED_CONTENT": case "IMAGE_RECITATION":
                return FinishReason.CONTENT_FILTER;
            case "MALFORMED_FUNCTION_CALL": case "UNEXPECTED_TOOL_CALL": case "TOO_MANY_TOOL_CALLS":
                return FinishReason.ERROR;
            default:
                return FinishReason.OTHER;
        }
    }

    /**
     * Usage of {@code usageMetadata}, or null when absent: input = prompt (cached included) + tool-use prompt
     * tokens, output = candidates + thoughts tokens, cached = {@code cachedContentTokenCount}.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        return new Usage(GeminiJson.count(u.get("promptTokenCount")) + GeminiJson.count(u.get("toolUsePromptTokenCount")),
                GeminiJson.count(u.get("candidatesTokenCount")) + GeminiJson.count(u.get("thoughtsTokenCount")),
                GeminiJson.count(u.get("cachedContentTokenCount")));
    }

    static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }
}
