package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.OutputParseException;
import dev.switchboard.spi.ResponseFormat;
import java.util.Locale;

/**
 * Maps a model's answer text to a method's content type, and says which response format to ask the
 * provider for. Immutable and thread-safe; built once per method by {@link #forType}.
 */
abstract class ResultMapper {
    /** The response format to request; null (the default) for text. */
    ResponseFormat responseFormat() {
        return null;
    }

    /** Maps the answer text. @throws OutputParseException carrying the raw text when it does not map */
    abstract Object map(String text);

    /**
     * The mapper of {@code type}: strings as is, enums by name (case-insensitive, tolerant of quotes and
     * punctuation), primitives and boxed numbers/booleans parsed, anything else as JSON with a schema.
     *
     * @throws IllegalArgumentException when the type has no JSON shape
     */
    static ResultMapper forType(JavaType type, ObjectMapper mapper, String where) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw == CharSequence.class || raw == Object.class) {
            return new Text();
        }
        if (raw.isEnum()) {
            return new EnumValue(raw, where);
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw) || raw == Boolean.class || raw == Character.class) {
            return new Scalar(type, mapper, where);
        }
        ObjectNode schema = new JsonSchemas(mapper).schema(type);
        boolean wrap = !"object".equals(schema.path("type").asText());
        ObjectNode root = schema;
        if (wrap) {
            root = mapper.createObjectNode().put("type", "object");
            root.putObject("properties").set("value", schema);
            root.putArray("required").add("value");
            root.put("additionalProperties", false);
        }
        String name = raw.getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_");
        ResponseFormat format = new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name.isEmpty() ? "result" : name, root, JsonSchemas.isStrict(root));
        return new Json(type, mapper, format, wrap, where);
    }

    private static final class Text extends ResultMapper {
        @Override
        Object map(String text) {
            return text;
        }
    }

    private static final class EnumValue extends ResultMapper {
        private final Class<?> type;
        private final String where;

        EnumValue(Class<?> type, String where) {
            this.type = type;
            this.where = where;
        }

        @Override
        Object map(String text) {
            String t = text.trim().replaceAll("^[\"'`*\\s]+|[\"'`*.!\\s]+$", "");
            for (Object c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equalsIgnoreCase(t) || ((Enum<?>) c).name().equalsIgnoreCase(t.replace(' ', '_'))) {
                    return c;
                }
            }
            throw new OutputParseException(where + ": the answer '" + abbreviate(text) + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()), text, null);
        }
    }

    private static final class Scalar extends ResultMapper {
        private final JavaType type;
        private final ObjectMapper mapper;
        private final String where;

        Scalar(JavaType type, ObjectMapper mapper, String where) {
            this.type = type;
            this.mapper = mapper;
            this.where = where;
        }

        @Override
        Object map(String text) {
            String t = text.trim().replaceAll("[.\\s]+$", "").toLowerCase(Locale.ROOT);
            if (t.equals("yes")) {
                t = "true";
            } else if (t.equals("no")) {
                t = "false";
            }
            try {
                return mapper.readValue(type.getRawClass() == Character.class || type.getRawClass() == char.class
                        ? mapper.writeValueAsString(t) : t, type);
            } catch (JsonProcessingException e) {
                throw new OutputParseException(where + ": the answer '" + abbreviate(text) + "' is not a " + type.getRawClass().getSimpleName(), text, e);
            }
        }
    }

    private static final class Json extends ResultMapper {
        private final JavaType type;
        private final ObjectMapper mapper;
        private final ResponseFormat format;
        private final boolean wrapped;
        private final String where;

        Json(JavaType type, ObjectMapper mapper, ResponseFormat format, boolean wrapped, String where) {
            this.type = type;
            this.mapper = mapper;
            this.format = format;
            this.wrapped = wrapped;
            this.where = where;
        }

        @Override
        ResponseFormat responseFormat() {
            return format;
        }

        @Override
        Object map(String text) {
            try {
                JsonNode node = mapper.readTree(stripFences(text));
                if (wrapped && node != null && node.isObject() && node.has("value")) {
                    node = node.get("value");
                }
                return mapper.treeToValue(node, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new OutputParseException(where + ": the answer does not parse as " + type.toCanonical() + ": "
                        + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()), text, e);
            }
        }

        private static String stripFences(String text) {
            String t = text.trim();
            if (t.startsWith("```")) {
                int nl = t.indexOf('\n');
                int end = t.lastIndexOf("```");
                if (nl > 0 && end > nl) {
                    return t.substring(nl + 1, end);
                }
            }
            return t;
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
