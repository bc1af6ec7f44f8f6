package dev.switchboard.runtime.providers.anthropic;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;

/**
 * Creates providers of type {@code anthropic}, speaking the Anthropic Messages API
 * ({@code POST {base_url}/v1/messages}).
 *
 * <pre>{@code
 * providers:
 *   claude: { type: anthropic, api_key: ${ANTHROPIC_API_KEY}, default_max_tokens: 2048 }
 * }</pre>
 *
 * <p>Keys: {@code base_url} (default {@code https://api.anthropic.com}), {@code api_key} (required, sent as
 * {@code x-api-key}), {@code anthropic_version} (default {@code 2023-06-01}), {@code anthropic_beta}
 * (optional {@code anthropic-beta} header), {@code default_max_tokens} (default 4096; Anthropic requires
 * {@code max_tokens}, this fills it when a request has none). Registered through
 * {@code META-INF/services}. Stateless and thread-safe.
 */
public final class AnthropicProviderFactory implements ProviderFactory {

    /** The provider type this factory serves. */
    public static final String TYPE = "anthropic";

    /** Needed by {@link java.util.ServiceLoader}. */
    public AnthropicProviderFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** @throws dev.switchboard.spi.InvalidProviderConfigException naming the key at fault */
    @Override
    public ChatProvider create(ProviderConfig config) {
        return new AnthropicProvider(config, AnthropicSettings.from(config));
    }
}
