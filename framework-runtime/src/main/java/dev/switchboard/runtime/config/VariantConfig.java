package dev.switchboard.runtime.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One variant of a deployment: model, messages, parameters and policies. Immutable. Any field may be
 * unset (null) in a layer; {@link #overlay(VariantConfig)} fills a lower layer's values with a higher
 * layer's set ones (parameters merge key by key), which is how annotation defaults, a shared
 * deployment and a method's deployment combine.
 *
 * @param name       the variant's name
 * @param model      the primary model, or null when unset
 * @param messages   message templates, or null when unset
 * @param parameters model parameters by snake_case name (never null; empty when none)
 * @param retry      retry policy, or null when unset
 * @param fallbacks  ordered fallback models, or null when unset
 * @param timeout    total time budget, or null when unset
 */
public record VariantConfig(String name, ModelRef model, List<MessageTemplate> messages, Map<String, Object> parameters,
                            RetrySpec retry, List<ModelRef> fallbacks, Duration timeout) {

    /** Default total time budget when none is set anywhere. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Copies collections. */
    public VariantConfig {
        messages = messages == null ? null : List.copyOf(messages);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        fallbacks = fallbacks == null ? null : List.copyOf(fallbacks);
    }

    /** An empty layer named {@code name}. */
    public static VariantConfig empty(String name) {
        return new VariantConfig(name, null, null, Map.of(), null, null, null);
    }

    /** This layer with {@code higher}'s set values on top; the result keeps {@code higher}'s name. */
    public VariantConfig overlay(VariantConfig higher) {
        if (higher == null) {
            return this;
        }
        Map<String, Object> params = new LinkedHashMap<>(parameters);
        params.putAll(higher.parameters);
        return new VariantConfig(higher.name,
                higher.model != null ? higher.model : model,
                higher.messages != null ? higher.messages : messages,
                params,
                higher.retry != null ? higher.retry : retry,
                higher.fallbacks != null ? higher.fallbacks : fallbacks,
                higher.timeout != null ? higher.timeout : timeout);
    }

    /** The retry policy, or none. */
    public RetrySpec retryOrDefault() {
        return retry == null ? RetrySpec.NONE : retry;
    }

    /** The fallbacks, or none. */
    public List<ModelRef> fallbacksOrEmpty() {
        return fallbacks == null ? List.of() : fallbacks;
    }

    /** The time budget, or {@link #DEFAULT_TIMEOUT}. */
    public Duration timeoutOrDefault() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
}
