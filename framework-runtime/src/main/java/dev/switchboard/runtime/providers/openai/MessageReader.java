package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.kind;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenAI chat messages (request messages and response messages) into {@link ChatMessage}s,
 * naming the JSON path of any invalid field. Stateless and thread-safe.
 */
final class MessageReader {
    private MessageReader() {
    }

    /** A request message at {@code path}, for example {@code messages[2]}. */
    static ChatMessage read(JsonNode m, String path) {
        JsonFields.object(m, path);
        String roleName = JsonFields.string(m, "role", path);
        Role role;
        try {
            role = Role.fromWire(roleName);
        } catch (IllegalArgumentException e) {
            throw new OpenAiFormatException(path(path, "role"), roleName == null ? "is required"
                    : "unknown role '" + roleName + "' (expected system, developer, user, assistant or tool)");
        }
        JsonNode rawContent = m.get("content");
        if (absent(rawContent) && role != Role.ASSISTANT) {
            throw new OpenAiFormatException(path(path, "content"), "is required for role '" + roleName + "'");
        }
        List<ContentPart> content = content(rawContent, path(path, "content"));
        List<ToolCall> calls = toolCalls(m, path);
        if (!calls.isEmpty() && role != Role.ASSISTANT) {
            throw new OpenAiFormatException(path(path, "tool_calls"), "only assistant messages carry tool calls");
        }
        String toolCallId = JsonFields.string(m, "tool_call_id", path);
        if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
            throw new OpenAiFormatException(path(path, "tool_call_id"), "is required for role 'tool'");
        }
        return new ChatMessage(role, content, calls, role == Role.TOOL ? toolCallId : null,
                JsonFields.string(m, "name", path));
    }

    /** An assistant message of a response choice: content may be null, a refusal stands in for it. */
    static ChatMessage readAssistant(JsonNode m, String path) {
        JsonFields.object(m, path);
        List<ContentPart> content = content(m.get("content"), path(path, "content"));
        String refusal = m.path("refusal").textValue();
        if (content.isEmpty() && refusal != null && !refusal.isEmpty()) {
            content = List.of(ContentPart.text(refusal));
        }
        return new ChatMessage(Role.ASSISTANT, content, toolCalls(m, path), null, null);
    }

    /** Content as a string, an array of parts, or absent. */
    static List<ContentPart> content(JsonNode c, String path) {
        if (absent(c)) {
            return List.of();
        }
        if (c.isTextual()) {
            return List.of(ContentPart.text(c.textValue()));
        }
        if (!c.isArray()) {
            throw new OpenAiFormatException(path, "must be a string or an array of content parts, was " + kind(c));
        }
        List<ContentPart> parts = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            parts.add(part(c.get(i), path(path, i)));
        }
        return parts;
    }

    private static ContentPart part(JsonNode p, String path) {
        JsonFields.object(p, path);
        String type = JsonFields.requiredString(p, "type", path);
        switch (type) {
            case "text":
                return ContentPart.text(nonNullString(p, "text", path));
            case "refusal":
                return ContentPart.text(nonNullString(p, "refusal", path));
            case "image_url":
                JsonNode img = p.get("image_url");
                if (img != null && img.isTextual()) {
                    return new ContentPart.Image(img.textValue(), null);
                }
                String imgPath = path(path, "image_url");
                JsonFields.object(img, imgPath);
                return new ContentPart.Image(JsonFields.requiredString(img, "url", imgPath),
                        JsonFields.string(img, "detail", imgPath));
            default:
                throw new OpenAiFormatException(path(path, "type"), "unsupported content part type '" + type
                        + "' (expected text or image_url)");
        }
    }

    private static String nonNullString(JsonNode p, String name, String path) {
        String s = JsonFields.string(p, name, path);
        if (s == null) {
            throw new OpenAiFormatException(path(path, name), "is required");
        }
        return s;
    }

    /** The {@code tool_calls} of a message, possibly empty. */
    static List<ToolCall> toolCalls(JsonNode m, String path) {
        String callsPath = path(path, "tool_calls");
        List<JsonNode> raw = JsonFields.array(m, "tool_calls", path);
        List<ToolCall> calls = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String p = path(callsPath, i);
            JsonNode call = JsonFields.object(raw.get(i), p);
            String type = JsonFields.string(call, "type", p);
            if (type != null && !"function".equals(type)) {
                throw new OpenAiFormatException(path(p, "type"), "unsupported tool call type '" + type + "'");
            }
            String fp = path(p, "function");
            JsonNode f = JsonFields.object(call.get("function"), fp);
            JsonNode args = f.get("arguments");
            String arguments = absent(args) ? null : args.isTextual() ? args.textValue() : args.toString();
            calls.add(new ToolCall(JsonFields.requiredString(call, "id", p), JsonFields.requiredString(f, "name", fp),
                    arguments));
        }
        return calls;
    }
}
