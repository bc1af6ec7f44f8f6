package dev.switchboard.runtime.providers.azure;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;

/**
 * Creates {@link AzureOpenAiProvider}s for provider entries of type {@code azure-openai}. Keys:
 * {@code base_url} (the resource endpoint, required), {@code api_key} (required), and the options listed on
 * {@link AzureOpenAiProvider}. Registered with {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class AzureOpenAiProviderFactory implements ProviderFactory {
    @Override
    public String type() {
        return "azure-openai";
    }

    @Override
    public ChatProvider create(ProviderConfig config) {
        return new AzureOpenAiProvider(config);
    }
}
