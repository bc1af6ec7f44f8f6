package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link ConfigSource}s from system properties and environment variables, the highest layers.
 *
 * <ul>
 *   <li>System property {@code switchboard.deployments.support-bot.model=openai/gpt-4o} sets
 *       {@code deployments.support-bot.model}; dots separate keys.</li>
 *   <li>Environment variable {@code SWITCHBOARD__PROVIDERS__OPENAI__BASE_URL=…} sets
 *       {@code providers.openai.base_url}; double underscores separate keys, names are lower-cased.</li>
 * </ul>
 * Values are YAML scalars: {@code 3} is a number, {@code true} a boolean, anything else a string.
 */
public final class ConfigOverrides {
    private ConfigOverrides() {
    }

    /** Overrides from system properties starting with {@code switchboard.}. */
    public static ConfigSource systemProperties(Properties props) {
        return source("system properties", () -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            for (String name : props.stringPropertyNames()) {
                if (name.startsWith("switchboard.") && !name.startsWith("switchboard.config")) {
                    put(root, name.substring("switchboard.".length()).split("\\."), props.getProperty(name));
                }
            }
            return root;
        });
    }

    /** Overrides from environment variables starting with {@code SWITCHBOARD__}. */
    public static ConfigSource environment(Map<String, String> env) {
        return source("environment", () -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            env.forEach((name, value) -> {
                if (name.startsWith("SWITCHBOARD__")) {
                    put(root, name.substring("SWITCHBOARD__".length()).toLowerCase(Locale.ROOT).split("__"), value);
                }
            });
            return root;
        });
    }

    private static void put(ObjectNode root, String[] path, String value) {
        ObjectNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.has(path[i]) && node.get(path[i]).isObject() ? (ObjectNode) node.get(path[i]) : node.putObject(path[i]);
        }
        node.set(path[path.length - 1], scalar(value));
    }

    private static com.fasterxml.jackson.databind.JsonNode scalar(String value) {
        String v = value.trim();
        if ("true".equals(v) || "false".equals(v)) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(v));
        }
        if (v.matches("-?\\d{1,18}")) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(v));
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return JsonNodeFactory.instance.numberNode(Double.parseDouble(v));
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private static ConfigSource source(String name, java.util.function.Supplier<ObjectNode> tree) {
        return ConfigSource.of(name, () -> {
            ObjectNode t = tree.get();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        });
    }
}
