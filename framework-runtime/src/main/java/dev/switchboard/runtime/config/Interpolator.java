package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.ConfigException;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every string value of a tree, in place.
 * {@code $${} writes a literal {@code ${}. A name with no value and no default is an error naming the
 * key path. Thread-safe (stateless apart from its lookup).
 */
public final class Interpolator {
    private final Function<String, String> lookup;

    /** Looks names up with {@code lookup} (typically the environment, then system properties). */
    public Interpolator(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Interpolates {@code tree} in place; {@code source} names it in errors. */
    public void apply(String source, ObjectNode tree) {
        walk(source, tree, "");
    }

    private void walk(String source, JsonNode node, String path) {
        if (node instanceof ObjectNode obj) {
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(expand(source, p, e.getValue().textValue())));
                } else {
                    walk(source, e.getValue(), p);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                String p = path + "[" + i + "]";
                if (arr.get(i).isTextual()) {
                    arr.set(i, TextNode.valueOf(expand(source, p, arr.get(i).textValue())));
                } else {
                    walk(source, arr.get(i), p);
                }
            }
        }
    }

    /** Expands one string; see the class description. */
    public String expand(String source, String path, String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(source, path, "unclosed '${' in '" + text + "'");
                }
                String expr = text.substring(i + 2, end);
                int dflt = expr.indexOf(":-");
                String name = (dflt < 0 ? expr : expr.substring(0, dflt)).trim();
                if (name.isEmpty()) {
                    throw new ConfigException(source, path, "empty variable name in '" + text + "'");
                }
                String value = lookup.apply(name);
                if (value == null || (value.isEmpty() && dflt >= 0)) {
                    if (dflt < 0) {
                        throw new ConfigException(source, path, "environment variable " + name
                                + " is not set (use ${" + name + ":-default} for a default)");
                    }
                    value = expr.substring(dflt + 2);
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }
}
