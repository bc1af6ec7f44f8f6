package dev.switchboard.runtime.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ResponseFormat;

/**
 * The forced tool that carries a structured answer (see {@link AnthropicProvider}): its input schema is
 * the requested schema, its input is the answer. Immutable.
 *
 * @param name        the tool name (the schema's name, or {@code json_object})
 * @param inputSchema the tool's {@code input_schema}
 * @param wrapped     whether the schema was wrapped as property {@value #VALUE} of an object
 */
record AnswerTool(String name, ObjectNode inputSchema, boolean wrapped) {
    static final String VALUE = "value";
    static final String JSON_OBJECT_NAME = "json_object";

    /** The answer tool for a response format, or null for text. */
    static AnswerTool of(ResponseFormat format) {
        switch (format.type()) {
            case JSON_OBJECT: {
                ObjectNode schema = JsonHttp.object().put("type", "object");
                schema.put("additionalProperties", true);
                return new AnswerTool(JSON_OBJECT_NAME, schema, false);
            }
            case JSON_SCHEMA: {
                JsonNode schema = format.schema();
                JsonNode type = schema.get("type");
                if (schema.isObject() && type != null && "object".equals(type.asText())) {
                    return new AnswerTool(format.name(), (ObjectNode) schema.deepCopy(), false);
                }
                if (schema.isObject() && type == null && schema.has("properties")) {
                    ObjectNode copy = ((ObjectNode) schema.deepCopy()).put("type", "object");
                    return new AnswerTool(format.name(), copy, false);
                }
                ObjectNode wrapper = JsonHttp.object().put("type", "object");
                wrapper.putObject("properties").set(VALUE, schema.deepCopy());
                wrapper.putArray("required").add(VALUE);
                return new AnswerTool(format.name(), wrapper, true);
            }
            default:
                return null;
        }
    }

    /** The tool definition to send. */
    ObjectNode definition() {
        ObjectNode tool = JsonHttp.object().put("name", name)
                .put("description", "Give your answer by calling this tool; its input is the answer.");
        tool.set("input_schema", inputSchema);
        return tool;
    }

    /** The answer text for the tool's input. */
    String answer(JsonNode input) {
        JsonNode value = wrapped && input.has(VALUE) ? input.get(VALUE) : input;
        return value.toString();
    }
}
