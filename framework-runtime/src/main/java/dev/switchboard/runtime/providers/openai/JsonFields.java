package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed access to JSON fields that reports the field's path on a type mismatch, and conversion between
 * JSON trees and the plain Java values ({@code String}, {@code Number}, {@code Boolean}, {@code List},
 * {@code Map}) of {@code ChatRequest.extra()}. Stateless and thread-safe.
 */
final class JsonFields {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonFields() {
    }

    /** Whether the field is absent or JSON null. */
    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    /** {@code parent.name} as a path, or {@code name} at the top. */
    static String path(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code parent[index]} as a path. */
    static String path(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The object at {@code path}; @throws OpenAiFormatException when it is not an object */
    static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new OpenAiFormatException(path, "must be an object, was " + kind(node));
        }
        return node;
    }

    /** A string field, or null when absent; @throws OpenAiFormatException when not a string */
    static String string(JsonNode parent, String name, String parentPath) {
        JsonNode v = parent.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            throw new OpenAiFormatException(path(parentPath, name), "must be a string, was " + kind(v));
        }
        return v.textValue();
    }

    /** A required string field; @throws OpenAiFormatException when absent, blank or not a string */
    static String requiredString(JsonNode parent, String name, String parentPath) {
        String s = string(parent, name, parentPath);
        if (s == null || s.isBlank()) {
            throw new OpenAiFormatException(path(parentPath, name), "is required");
        }
        return s;
    }

    /** A boolean field, or {@code defaultValue} when absent; @throws OpenAiFormatException when not a boolean */
    static boolean bool(JsonNode parent, String name, String parentPath, boolean defaultValue) {
        JsonNode v = parent.get(name);
        if (absent(v)) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new OpenAiFormatException(path(parentPath, name), "must be a boolean, was " + kind(v));
        }
        return v.booleanValue();
    }

    /** An array field, or an empty list when absent; @throws OpenAiFormatException when not an array */
    static List<JsonNode> array(JsonNode parent, String name, String parentPath) {
        JsonNode v = parent.get(name);
        if (absent(v)) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new OpenAiFormatException(path(parentPath, name), "must be an array, was " + kind(v));
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** A whole number, or 0 when absent or not a number (for lenient reading of vendor answers). */
    static long count(JsonNode node) {
        return node != null && node.isNumber() ? Math.max(0, node.asLong()) : 0;
    }

    /** A short description of a node's JSON type for messages. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "absent";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A plain Java value as a JSON tree. */
    static JsonNode toNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger bi) {
            return NODES.numberNode(bi);
        }
        if (value instanceof BigDecimal bd) {
            return NODES.numberNode(bd);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            map.forEach((k, v) -> o.set(String.valueOf(k), toNode(v)));
            return o;
        }
        if (value instanceof Iterable<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(v -> a.add(toNode(v)));
            return a;
        }
        if (value instanceof Object[] array) {
            return toNode(List.of(array));
        }
        return NODES.textNode(value.toString());
    }

    /** A JSON tree as a plain Java value (null for JSON null). */
    static Object toJava(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(n -> out.add(toJava(n)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), toJava(e.getValue()));
        }
        return out;
    }
}
