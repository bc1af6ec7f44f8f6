package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shape the model's answer must have. Immutable and thread-safe.
 *
 * @param type   text, any JSON object, or JSON following a schema
 * @param name   the schema's name (JSON_SCHEMA only)
 * @param schema the JSON schema (JSON_SCHEMA only)
 * @param strict whether the schema must be followed exactly
 */
public record ResponseFormat(Type type, String name, JsonNode schema, boolean strict) {
    /** Response format types. */
    public enum Type {
        /** Free text. */
        TEXT,
        /** Any JSON object. */
        JSON_OBJECT,
        /** JSON following {@code schema}. */
        JSON_SCHEMA
    }

    /** Plain text. */
    public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
    /** Any JSON object. */
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

    /** Checks that a schema format has its name and schema. */
    public ResponseFormat {
        if (type == null) {
            throw new IllegalArgumentException("response format type is missing");
        }
        if (type == Type.JSON_SCHEMA && (name == null || schema == null)) {
            throw new IllegalArgumentException("a json_schema response format needs a name and a schema");
        }
    }

    /** JSON following {@code schema}, strictly. */
    public static ResponseFormat jsonSchema(String name, JsonNode schema) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schema, true);
    }
}
