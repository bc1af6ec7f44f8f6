package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.config.ConfigParser;
import dev.switchboard.runtime.config.DeploymentConfig;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one stored deployment definition with the same rules as {@code switchboard.yaml}
 * ({@link ConfigParser}), reporting errors relative to the definition. Stateless and thread-safe.
 */
public final class DeploymentDefinitions {
    /** Keys a store accepts: the configuration's deployment keys, not starting with a dot, at most 200 characters. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,199}");

    private DeploymentDefinitions() {
    }

    /** The source name errors about {@code key} carry: {@code deployment 'support'}. */
    public static String source(String key) {
        return "deployment '" + key + "'";
    }

    /**
     * Checks that {@code key} can be stored.
     *
     * @throws ConfigException when it is not letters, digits, {@code _ . -} (first not a dot), 1 to 200 long
     */
    public static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new ConfigException(source(String.valueOf(key)), "",
                    "deployment keys are 1 to 200 letters, digits, _ . - and do not start with a dot or dash");
        }
    }

    /**
     * Parses {@code definition} as deployment {@code key} against the provider entries named {@code providers}.
     *
     * @param source  the source errors name ({@link #source(String)} when null)
     * @param version the version to record in the result ({@code v3})
     * @throws ConfigException with {@code source} and the key path inside the definition ({@code variants.main.model})
     *                         when it is invalid
     */
    public static DeploymentConfig parse(String source, String key, JsonNode definition, Collection<String> providers, String version) {
        String src = source == null ? source(String.valueOf(key)) : source;
        if (key == null || !KEY.matcher(key).matches()) {
            throw new ConfigException(src, "", "deployment keys are 1 to 200 letters, digits, _ . - and do not start with a dot or dash");
        }
        if (definition == null || !definition.isObject()) {
            throw new ConfigException(src, "", "a definition must be a mapping (the keys of deployments." + key + ")");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode p = root.putObject("providers");
        for (String name : providers) {
            p.putObject(name).put("type", "definition-check");
        }
        root.putObject("deployments").set(key, definition.deepCopy());
        DeploymentConfig parsed;
        try {
            parsed = new ConfigParser(src).parse(root, List.of(src)).deployments().get(key);
        } catch (ConfigException e) {
            throw relative(key, e);
        }
        return new DeploymentConfig(key, parsed.variants(), parsed.defaultVariant(), parsed.routing(), version);
    }

    /** The provider names a definition refers to: the part before {@code /} of every {@code model} and {@code fallbacks} entry. */
    public static Set<String> referencedProviders(JsonNode definition) {
        Set<String> out = new LinkedHashSet<>();
        collect(definition, out);
        return out;
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            addRef(node.get("model"), out);
            JsonNode f = node.get("fallbacks");
            if (f != null && f.isArray()) {
                f.forEach(r -> addRef(r, out));
            }
        }
        node.forEach(child -> collect(child, out));
    }

    private static void addRef(JsonNode ref, Set<String> out) {
        if (ref != null && ref.isTextual() && ref.textValue().indexOf('/') > 0) {
            String name = ref.textValue().substring(0, ref.textValue().indexOf('/'));
            if (name.matches("[A-Za-z0-9_.\\-]+")) {
                out.add(name);
            }
        }
    }

    private static ConfigException relative(String key, ConfigException e) {
        String prefix = "deployments." + key;
        String path = e.path();
        String rel = path.equals(prefix) ? "" : path.startsWith(prefix + ".") ? path.substring(prefix.length() + 1) : path;
        String head = e.source() + ": " + (path.isEmpty() ? "" : path + ": ");
        String problem = e.getMessage().startsWith(head) ? e.getMessage().substring(head.length()) : e.getMessage();
        return new ConfigException(e.source(), rel, problem);
    }
}
