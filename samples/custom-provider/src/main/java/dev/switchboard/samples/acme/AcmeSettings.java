package dev.switchboard.samples.acme;

import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The validated settings of one {@code acme} provider entry: everything is checked once, when the engine
 * creates the provider, so a bad entry fails at start-up naming its key ({@code providers.<name>.tenant})
 * rather than on the first call. Immutable and thread-safe; {@link #toString()} never shows the key.
 *
 * @param name      the entry's name, used in exceptions
 * @param generate  {@code {base_url}/generate}
 * @param stream    {@code {base_url}/generate/stream}
 * @param apiKey    the key, possibly empty
 * @param tenant    the {@code X-Acme-Tenant} header value, or null
 * @param timeout   the wait for an answer (for a stream: between two events)
 */
record AcmeSettings(String name, URI generate, URI stream, Secret apiKey, String tenant, Duration timeout) {
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** @throws InvalidProviderConfigException naming the key at fault */
    static AcmeSettings from(ProviderConfig config) {
        String base = config.baseUrlOr(null); // required: there is no public default for an in-house endpoint
        String tenant = config.stringOption("tenant", null);
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw new InvalidProviderConfigException("tenant",
                    "tenant must be lower-case letters, digits and dashes, was '" + tenant + "'");
        }
        return new AcmeSettings(config.name(), URI.create(base + "/generate"), URI.create(base + "/generate/stream"),
                config.apiKey(), tenant, config.requestTimeout());
    }
}
