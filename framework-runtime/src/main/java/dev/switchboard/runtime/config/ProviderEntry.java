package dev.switchboard.runtime.config;

import dev.switchboard.spi.Secret;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the {@code providers:} map. Immutable; {@link #toString()} never shows the key.
 *
 * <pre>{@code
 * providers:
 *   openai: { type: openai, api_key: ${OPENAI_API_KEY}, request_timeout: 60s, circuit_breaker: { failure_threshold: 5 } }
 * }</pre>
 *
 * @param name           the entry's name
 * @param type           the factory type
 * @param baseUrl        base URL, or null for the type's default
 * @param apiKey         credential
 * @param connectTimeout connect timeout
 * @param requestTimeout per-request timeout (between events for streams)
 * @param breaker        circuit breaker
 * @param options        every other key, for the factory
 */
public record ProviderEntry(String name, String type, String baseUrl, Secret apiKey, Duration connectTimeout,
                            Duration requestTimeout, BreakerSpec breaker, Map<String, Object> options) {
    /** Copies options. */
    public ProviderEntry {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
