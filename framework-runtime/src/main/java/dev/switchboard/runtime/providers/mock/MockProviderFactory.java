package dev.switchboard.runtime.providers.mock;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;

/**
 * Type {@code mock}: a deterministic offline provider for demos, tests and benchmarks. See
 * {@link MockProvider} for its options.
 */
public final class MockProviderFactory implements ProviderFactory {
    @Override
    public String type() {
        return "mock";
    }

    @Override
    public ChatProvider create(ProviderConfig config) {
        return new MockProvider(MockSettings.from(config), config.name());
    }
}
