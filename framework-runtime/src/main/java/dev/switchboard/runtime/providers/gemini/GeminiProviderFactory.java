package dev.switchboard.runtime.providers.gemini;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;

/**
 * Creates {@link GeminiProvider}s for provider entries of type {@code gemini}. Keys: {@code api_key}
 * (required), {@code base_url} (default {@value GeminiProvider#DEFAULT_BASE_URL}), {@code api_version}
 * (default {@value GeminiProvider#DEFAULT_API_VERSION}). Registered with {@link java.util.ServiceLoader}.
 * Stateless and thread-safe.
 */
public final class GeminiProviderFactory implements ProviderFactory {
    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public ChatProvider create(ProviderConfig config) {
        return new GeminiProvider(config);
    }
}
