package dev.switchboard.runtime.providers.anthropic;

import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import java.net.URI;

/**
 * The validated settings of one {@code anthropic} provider entry. Immutable.
 *
 * @param endpoint         the Messages endpoint
 * @param version          the {@code anthropic-version} header
 * @param beta             the {@code anthropic-beta} header, or null
 * @param defaultMaxTokens {@code max_tokens} for requests without one
 */
record AnthropicSettings(URI endpoint, String version, String beta, int defaultMaxTokens) {
    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String DEFAULT_VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    static AnthropicSettings from(ProviderConfig config) {
        if (config.apiKey().isEmpty()) {
            throw new InvalidProviderConfigException("api_key", "api_key is required for type 'anthropic'");
        }
        URI endpoint = URI.create(config.baseUrlOr(DEFAULT_BASE_URL) + "/v1/messages");
        String version = config.stringOption("anthropic_version", DEFAULT_VERSION);
        if (version.isBlank()) {
            throw new InvalidProviderConfigException("anthropic_version", "anthropic_version must not be blank");
        }
        Object betaValue = config.options().get("anthropic_beta");
        String beta = betaValue instanceof java.util.List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : config.stringOption("anthropic_beta", null);
        int maxTokens = config.intOption("default_max_tokens", DEFAULT_MAX_TOKENS);
        if (maxTokens < 1) {
            throw new InvalidProviderConfigException("default_max_tokens", "default_max_tokens must be at least 1, was " + maxTokens);
        }
        return new AnthropicSettings(endpoint, version.trim(), beta == null || beta.isBlank() ? null : beta.trim(), maxTokens);
    }
}
