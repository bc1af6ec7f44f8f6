package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Generates the JSON schema of a Java type for providers' structured output: records and POJOs (their
 * Jackson properties, all required, {@code @JsonPropertyDescription} as description), enums, strings,
 * numbers, booleans, collections, arrays, {@code Optional} and maps. Thread-safe.
 */
final class JsonSchemas {
    private final ObjectMapper mapper;

    JsonSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Whether the schema of {@code type} is usable in providers' strict mode (no free-form maps). */
    static boolean isStrict(ObjectNode schema) {
        return !schema.toString().contains("\"additionalProperties\":{") && !schema.toString().contains("\"additionalProperties\":true");
    }

    /** The schema of {@code type}. @throws IllegalArgumentException for a type that has no JSON shape */
    ObjectNode schema(JavaType type) {
        return schema(type, new ArrayDeque<>());
    }

    private ObjectNode schema(JavaType type, Deque<Class<?>> path) {
        ObjectNode s = mapper.createObjectNode();
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw == Character.class || raw == char.class || CharSequence.class.isAssignableFrom(raw)) {
            return s.put("type", "string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return s.put("type", "boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class || raw == short.class
                || raw == Short.class || raw == byte.class || raw == Byte.class || raw == java.math.BigInteger.class) {
            return s.put("type", "integer");
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return s.put("type", "number");
        }
        if (raw.isEnum()) {
            ArrayNode values = s.put("type", "string").putArray("enum");
            for (Object c : raw.getEnumConstants()) {
                values.add(((Enum<?>) c).name());
            }
            return s;
        }
        if (type.isContainerType() && !type.isMapLikeType()) {
            s.put("type", "array");
            s.set("items", schema(type.getContentType(), path));
            return s;
        }
        if (type.isMapLikeType()) {
            s.put("type", "object");
            s.set("additionalProperties", schema(type.getContentType(), path));
            return s;
        }
        if (raw == java.util.Optional.class) {
            return schema(type.containedTypeOrUnknown(0), path);
        }
        if (raw == Object.class || raw.isInterface() && !raw.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonTypeInfo.class)) {
            throw new IllegalArgumentException(type + " has no fixed JSON shape; use a record, a class with properties, or a collection of them");
        }
        if (path.contains(raw) || path.size() > 16) {
            throw new IllegalArgumentException(raw.getName() + " is recursive; structured output needs a finite schema");
        }
        path.push(raw);
        BeanDescription bean = mapper.getDeserializationConfig().introspect(type);
        ObjectNode props = s.put("type", "object").putObject("properties");
        ArrayNode required = s.putArray("required");
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (!p.couldDeserialize() && !raw.isRecord()) {
                continue;
            }
            ObjectNode ps = schema(p.getPrimaryType(), path);
            JsonPropertyDescription d = p.getPrimaryMember() == null ? null : p.getPrimaryMember().getAnnotation(JsonPropertyDescription.class);
            if (d != null) {
                ps.put("description", d.value());
            }
            props.set(p.getName(), ps);
            required.add(p.getName());
        }
        if (props.isEmpty()) {
            path.pop();
            throw new IllegalArgumentException(raw.getName() + " has no properties Jackson can set (use a record, or public fields/setters)");
        }
        s.put("additionalProperties", false);
        path.pop();
        return s;
    }
}
