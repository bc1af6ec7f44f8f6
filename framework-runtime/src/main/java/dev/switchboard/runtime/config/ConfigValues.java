package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.ConfigException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of configuration values, failing with the source, key path and problem. */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String source;

    ConfigValues(String source) {
        this.source = source;
    }

    ConfigException error(String path, String problem) {
        return new ConfigException(source, path, problem);
    }

    String text(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode() || node.isBinary()) {
            throw error(path, "must be a string, found " + kind(node));
        }
        return node.asText();
    }

    String requiredText(JsonNode node, String path) {
        String s = text(node, path);
        if (s == null || s.isBlank()) {
            throw error(path, "is required");
        }
        return s;
    }

    int integer(JsonNode node, String path, int min, int max) {
        if (node == null || !(node.isIntegralNumber() || node.isTextual() && node.asText().trim().matches("-?\\d+"))) {
            throw error(path, "must be a whole number, found " + kind(node));
        }
        long v = node.isTextual() ? Long.parseLong(node.asText().trim()) : node.asLong();
        if (v < min || v > max) {
            throw error(path, "must be between " + min + " and " + max + ", was " + v);
        }
        return (int) v;
    }

    boolean bool(JsonNode node, String path) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && ("true".equals(node.asText()) || "false".equals(node.asText()))) {
            return Boolean.parseBoolean(node.asText());
        }
        throw error(path, "must be true or false, found " + kind(node));
    }

    /** {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a number of seconds. */
    Duration duration(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            double s = node.asDouble();
            if (s < 0 || !Double.isFinite(s)) {
                throw error(path, "must not be negative");
            }
            return Duration.ofMillis((long) (s * 1000));
        }
        Matcher m = node.isTextual() ? DURATION.matcher(node.asText().trim().toLowerCase(Locale.ROOT)) : null;
        if (m == null || !m.matches()) {
            throw error(path, "must be a duration such as 500ms, 20s, 2m or 1h, found " + describe(node));
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis((long) ms);
    }

    ModelRef modelRef(JsonNode node, String path, Set<String> providers) {
        String s = requiredText(node, path);
        ModelRef ref;
        try {
            ref = ModelRef.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
        if (!providers.contains(ref.provider())) {
            throw error(path, "provider '" + ref.provider() + "' is not defined under providers (defined: " + providers + ")");
        }
        return ref;
    }

    void allowOnly(JsonNode obj, String path, Set<String> allowed) {
        Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw error(path.isEmpty() ? n : path + "." + n, "unknown key (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw error(path, "must be a mapping, found " + kind(node));
        }
        return node;
    }

    Object plain(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "a string '" + n.asText() + "'";
            case NUMBER -> "a number " + n.asText();
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(JsonNode n) {
        return kind(n);
    }
}
