package dev.switchboard.runtime.config;

import dev.switchboard.runtime.routing.Routing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A deployment: named variants, the default one, and its version. Immutable and thread-safe.
 *
 * <pre>{@code
 * deployments:
 *   support-bot.answer:
 *     default_variant: main
 *     variants:
 *       main: { model: openai/gpt-4o-mini, messages: [{role: user, content: "{{question}}"}] }
 *   triage:                       # shorthand: variant keys directly = one variant named "default"
 *     model: anthropic/claude-3-5-haiku-latest
 * }</pre>
 *
 * @param key            the deployment key
 * @param variants       variants by name, in declaration order
 * @param defaultVariant the variant used when routing picks none
 * @param routing        ordered routing rules
 * @param version        the configuration version this deployment comes from
 */
public record DeploymentConfig(String key, Map<String, VariantConfig> variants, String defaultVariant, Routing routing, String version) {

    /** Checks that the default variant exists. */
    public DeploymentConfig {
        Objects.requireNonNull(key, "key");
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("a deployment needs at least one variant");
        }
        if (!variants.containsKey(defaultVariant)) {
            throw new IllegalArgumentException("default_variant '" + defaultVariant + "' is not one of " + variants.keySet());
        }
        routing = routing == null ? new Routing(java.util.List.of(), defaultVariant) : routing;
    }

    /** The variant used when routing picks none. */
    public VariantConfig defaultVariantConfig() {
        return variants.get(defaultVariant);
    }
}
