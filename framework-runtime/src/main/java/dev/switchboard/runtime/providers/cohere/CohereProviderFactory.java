package dev.switchboard.runtime.providers.cohere;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import java.net.URI;

/**
 * Creates providers of type {@code cohere}, speaking the Cohere Chat API v2
 * ({@code POST {base_url}/v2/chat}).
 *
 * <pre>{@code
 * providers:
 *   cohere: { type: cohere, api_key: ${CO_API_KEY} }
 * }</pre>
 *
 * <p>Keys: {@code base_url} (default {@code https://api.cohere.com}) and {@code api_key} (required, sent as
 * {@code Authorization: Bearer}). Registered through {@code META-INF/services}. Stateless and thread-safe.
 */
public final class CohereProviderFactory implements ProviderFactory {

    /** The provider type this factory serves. */
    public static final String TYPE = "cohere";
    static final String DEFAULT_BASE_URL = "https://api.cohere.com";

    /** Needed by {@link java.util.ServiceLoader}. */
    public CohereProviderFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** @throws InvalidProviderConfigException naming the key at fault */
    @Override
    public ChatProvider create(ProviderConfig config) {
        if (config.apiKey().isEmpty()) {
            throw new InvalidProviderConfigException("api_key", "api_key is required for type 'cohere'");
        }
        return new CohereProvider(config, URI.create(config.baseUrlOr(DEFAULT_BASE_URL) + "/v2/chat"));
    }
}
