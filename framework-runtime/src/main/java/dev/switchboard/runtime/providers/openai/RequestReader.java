package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.kind;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.List;

/**
 * Reads an OpenAI Chat Completions request body into a {@link ChatRequest}, naming the JSON path of any
 * invalid field. Unknown fields are ignored; the documented OpenAI parameters without a typed accessor
 * go to {@link ChatRequest#extra()}. Stateless and thread-safe.
 */
final class RequestReader {
    /** OpenAI request parameters kept in {@code extra()} so that a gateway passes them on. */
    static final List<String> PASS_THROUGH = List.of("frequency_penalty", "presence_penalty", "logprobs",
            "top_logprobs", "logit_bias", "user", "parallel_tool_calls", "reasoning_effort", "service_tier",
            "metadata", "store", "prediction", "modalities", "audio", "web_search_options", "verbosity",
            "prompt_cache_key", "safety_identifier");
    private static final List<String> TYPED = List.of("temperature", "top_p", "max_tokens", "max_completion_tokens",
            "stop", "seed", "n");

    private RequestReader() {
    }

    static ChatRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiFormatException("", "the request body must be a JSON object, was " + kind(body));
        }
        ChatRequest.Builder b = ChatRequest.builder(JsonFields.requiredString(body, "model", ""));
        List<JsonNode> messages = JsonFields.array(body, "messages", "");
        if (messages.isEmpty()) {
            throw new OpenAiFormatException("messages", "must be a non-empty array");
        }
        for (int i = 0; i < messages.size(); i++) {
            b.message(MessageReader.read(messages.get(i), path("messages", i)));
        }
        for (String name : TYPED) {
            parameter(b, body, name);
        }
        List<JsonNode> tools = JsonFields.array(body, "tools", "");
        for (int i = 0; i < tools.size(); i++) {
            b.tool(tool(tools.get(i), path("tools", i)));
        }
        if (!absent(body.get("tool_choice"))) {
            b.toolChoice(toolChoice(body.get("tool_choice")));
        }
        if (!absent(body.get("response_format"))) {
            b.responseFormat(responseFormat(body.get("response_format")));
        }
        JsonNode streamOptions = body.get("stream_options");
        if (!absent(streamOptions)) {
            b.includeUsage(JsonFields.bool(JsonFields.object(streamOptions, "stream_options"), "include_usage",
                    "stream_options", false));
        }
        for (String name : PASS_THROUGH) {
            parameter(b, body, name);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw fieldError(e.getMessage());
        }
    }

    /** Whether the body asks for a stream. */
    static boolean stream(JsonNode body) {
        return body != null && body.isObject() && JsonFields.bool(body, "stream", "", false);
    }

    private static void parameter(ChatRequest.Builder b, JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (absent(v)) {
            return;
        }
        try {
            b.parameter(name, JsonFields.toJava(v));
        } catch (IllegalArgumentException e) {
            throw fieldError(e.getMessage());
        }
    }

    /** The request model's validation messages start with the snake_case field name they concern. */
    private static OpenAiFormatException fieldError(String message) {
        int space = message.indexOf(' ');
        return space > 0 ? new OpenAiFormatException(message.substring(0, space), message.substring(space + 1))
                : new OpenAiFormatException("", message);
    }

    private static ToolDefinition tool(JsonNode t, String path) {
        JsonFields.object(t, path);
        String type = JsonFields.string(t, "type", path);
        if (type != null && !"function".equals(type)) {
            throw new OpenAiFormatException(path(path, "type"), "unsupported tool type '" + type + "' (expected function)");
        }
        String fp = path(path, "function");
        JsonNode f = JsonFields.object(t.get("function"), fp);
        JsonNode params = f.get("parameters");
        if (!absent(params) && !params.isObject()) {
            throw new OpenAiFormatException(path(fp, "parameters"), "must be a JSON schema object, was " + kind(params));
        }
        return new ToolDefinition(JsonFields.requiredString(f, "name", fp), JsonFields.string(f, "description", fp),
                absent(params) ? null : params, JsonFields.bool(f, "strict", fp, false));
    }

    private static ToolChoice toolChoice(JsonNode c) {
        if (c.isTextual()) {
            switch (c.textValue()) {
                case "auto": return ToolChoice.of(ToolChoice.Mode.AUTO);
                case "none": return ToolChoice.of(ToolChoice.Mode.NONE);
                case "required": return ToolChoice.of(ToolChoice.Mode.REQUIRED);
                default: throw new OpenAiFormatException("tool_choice", "unknown value '" + c.textValue()
                        + "' (expected auto, none, required or a function object)");
            }
        }
        JsonFields.object(c, "tool_choice");
        String type = JsonFields.string(c, "type", "tool_choice");
        if (!"function".equals(type)) {
            throw new OpenAiFormatException("tool_choice.type", "must be 'function'");
        }
        JsonNode f = JsonFields.object(c.get("function"), "tool_choice.function");
        return ToolChoice.function(JsonFields.requiredString(f, "name", "tool_choice.function"));
    }

    private static ResponseFormat responseFormat(JsonNode f) {
        JsonFields.object(f, "response_format");
        String type = JsonFields.requiredString(f, "type", "response_format");
        switch (type) {
            case "text":
                return ResponseFormat.TEXT;
            case "json_object":
                return ResponseFormat.JSON_OBJECT;
            case "json_schema":
                String p = "response_format.json_schema";
                JsonNode s = JsonFields.object(f.get("json_schema"), p);
                JsonNode schema = s.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw new OpenAiFormatException(p + ".schema", "must be a JSON schema object, was " + kind(schema));
                }
                return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, JsonFields.requiredString(s, "name", p),
                        schema, JsonFields.bool(s, "strict", p, false));
            default:
                throw new OpenAiFormatException("response_format.type", "unknown type '" + type
                        + "' (expected text, json_object or json_schema)");
        }
    }
}
