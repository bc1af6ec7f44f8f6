package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link ChatRequest} as a Gemini {@code GenerateContentRequest}: system messages become
 * {@code systemInstruction}, user and assistant turns {@code contents} with roles {@code user} and
 * {@code model}, tool calls {@code functionCall} parts, tool results {@code functionResponse} parts of a
 * {@code user} turn (consecutive turns of one role are merged). Requests Gemini cannot take fail with
 * kind {@code UNSUPPORTED}. Stateless and thread-safe.
 */
final class GeminiRequestWriter {
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "gif", "image/gif", "heic", "image/heic", "heif", "image/heif");

    private final String provider;
    private final ChatRequest request;

    private GeminiRequestWriter(String provider, ChatRequest request) {
        this.provider = provider;
        this.request = request;
    }

    /** The request body. @throws ProviderException of kind {@code UNSUPPORTED} naming what Gemini cannot take */
    static ObjectNode write(String provider, ChatRequest request) {
        return new GeminiRequestWriter(provider, request).body();
    }

    private ObjectNode body() {
        ArrayNode system = NODES.arrayNode();
        ArrayNode contents = NODES.arrayNode();
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            switch (m.role()) {
                case SYSTEM:
                    for (ContentPart p : m.content()) {
                        if (!(p instanceof ContentPart.Text t)) {
                            throw unsupported("image content in a system message");
                        }
                        if (!t.text().isEmpty()) {
                            system.addObject().put("text", t.text());
                        }
                    }
                    break;
                case USER:
                    append(contents, "user", contentParts(m));
                    break;
                case ASSISTANT:
                    ArrayNode parts = contentParts(m);
                    m.toolCalls().forEach(c -> parts.add(functionCall(c)));
                    append(contents, "model", parts);
                    break;
                default:
                    append(contents, "user", NODES.arrayNode().add(functionResponse(m, toolName(messages, i))));
            }
        }
        ObjectNode body = NODES.objectNode();
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        body.set("contents", contents);
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            request.tools().forEach(t -> declarations.add(declaration(t)));
        }
        if (request.toolChoice() != null) {
            body.putObject("toolConfig").set("functionCallingConfig", functionCallingConfig(request.toolChoice()));
        }
        ObjectNode generation = GeminiGenerationConfig.write(provider, request);
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        return body;
    }

    /** Adds parts as a turn of {@code role}, merged into the previous turn when it has the same role. */
    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
        } else {
            contents.addObject().put("role", role).set("parts", parts);
        }
    }

    private ArrayNode contentParts(ChatMessage m) {
        ArrayNode parts = NODES.arrayNode();
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                if (!t.text().isEmpty()) {
                    parts.addObject().put("text", t.text());
                }
            } else if (p instanceof ContentPart.Image img) {
                parts.add(image(img));
            }
        }
        return parts;
    }

    private ObjectNode image(ContentPart.Image img) {
        ObjectNode part = NODES.objectNode();
        if (img.url().startsWith("data:")) {
            String mediaType = img.dataMediaType();
            if (mediaType == null || !img.url().contains(";base64,")) {
                throw unsupported("a data: image URL that is not base64 with a media type");
            }
            part.putObject("inlineData").put("mimeType", mediaType).put("data", img.dataBase64());
            return part;
        }
        ObjectNode file = part.putObject("fileData");
        String mimeType = guessMimeType(img.url());
        if (mimeType != null) {
            file.put("mimeType", mimeType);
        }
        file.put("fileUri", img.url());
        return part;
    }

    private static String guessMimeType(String url) {
        String path = url.replaceFirst("[?#].*$", "");
        int dot = path.lastIndexOf('.');
        return dot < 0 || dot < path.lastIndexOf('/') ? null : IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private ObjectNode functionCall(ToolCall call) {
        JsonNode args = GeminiJson.parseOrNull(call.arguments());
        if (args == null || !args.isObject()) {
            throw unsupported("tool call arguments that are not a JSON object (call '" + call.id() + "')");
        }
        ObjectNode part = NODES.objectNode();
        part.putObject("functionCall").put("name", call.name()).set("args", args);
        String signature = ThoughtSignatures.signature(call.id());
        if (signature != null) {
            part.put("thoughtSignature", signature);
        }
        return part;
    }

    /** The function a tool result answers: the nearest earlier assistant call with its id, else the message name. */
    private String toolName(List<ChatMessage> messages, int toolIndex) {
        String id = messages.get(toolIndex).toolCallId();
        for (int i = toolIndex - 1; i >= 0; i--) {
            for (ToolCall c : messages.get(i).toolCalls()) {
                if (c.id().equals(id)) {
                    return c.name();
                }
            }
        }
        String name = messages.get(toolIndex).name();
        if (name == null || name.isBlank()) {
            throw unsupported("a tool result whose tool_call_id '" + id
                    + "' matches no earlier assistant tool call (Gemini needs the function name)");
        }
        return name;
    }

    private ObjectNode functionResponse(ChatMessage m, String name) {
        if (m.hasImages()) {
            throw unsupported("image content in a tool result");
        }
        String text = m.text();
        JsonNode parsed = GeminiJson.parseOrNull(text);
        JsonNode response;
        if (parsed != null && parsed.isObject()) {
            response = parsed;
        } else {
            response = NODES.objectNode().set("result", parsed != null ? parsed : NODES.textNode(text));
        }
        ObjectNode part = NODES.objectNode();
        part.putObject("functionResponse").put("name", name).set("response", response);
        return part;
    }

    private static ObjectNode declaration(ToolDefinition t) {
        ObjectNode d = NODES.objectNode().put("name", t.name());
        if (t.description() != null) {
            d.put("description", t.description());
        }
        if (t.parameters() != null) {
            d.set("parametersJsonSchema", t.parameters());
        }
        return d;
    }

    private static ObjectNode functionCallingConfig(ToolChoice choice) {
        ObjectNode o = NODES.objectNode();
        switch (choice.mode()) {
            case NONE:
                return o.put("mode", "NONE");
            case REQUIRED:
                return o.put("mode", "ANY");
            case FUNCTION:
                o.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.functionName());
                return o;
            default:
                return o.put("mode", "AUTO");
        }
    }

    private ProviderException unsupported(String what) {
        return ProviderException.unsupported(provider, request.model(), what);
    }
}
