package dev.switchboard.samples.acme;

import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;

/**
 * Creates providers of type {@code acme}, for ACME Corp's in-house LLM endpoint (see {@link AcmeProvider}
 * for its wire format). Found by the engine with {@link java.util.ServiceLoader} because this jar lists
 * the class in {@code META-INF/services/dev.switchboard.spi.ProviderFactory}; no registration code.
 *
 * <pre>{@code
 * providers:
 *   acme: { type: acme, base_url: https://llm.acme.internal, api_key: ${ACME_KEY}, tenant: search-team }
 * }</pre>
 *
 * <p>Keys: {@code base_url} (required), {@code api_key} (optional, sent as {@code Authorization: Bearer}),
 * {@code tenant} (optional, sent as {@code X-Acme-Tenant}), and the engine's common {@code request_timeout}.
 * Stateless and thread-safe; needs the public no-argument constructor {@code ServiceLoader} calls.
 */
public final class AcmeProviderFactory implements ProviderFactory {

    /** The provider type this factory serves. */
    public static final String TYPE = "acme";

    @Override
    public String type() {
        return TYPE;
    }

    /** @throws InvalidProviderConfigException naming the key at fault, before any call is made */
    @Override
    public ChatProvider create(ProviderConfig config) {
        return new AcmeProvider(AcmeSettings.from(config), config.transport());
    }
}
