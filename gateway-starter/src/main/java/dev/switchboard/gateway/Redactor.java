package dev.switchboard.gateway;

import dev.switchboard.runtime.config.ConfigCredentials;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Removes the credentials of the configuration in force from text bound for a client or a log line. Which
 * values are credentials is {@link ConfigCredentials}' definition (each provider's {@code api_key},
 * credential-named options at any depth such as {@code direct_fallback.api_key}, every {@code headers} value),
 * the same set the call log masks. The configuration is read on every use, so a reloaded or republished
 * configuration (a rotated or added key) is covered from its first request; the credential list is computed
 * once per configuration instance. Providers promise never to put credentials in messages; this is the second
 * line of defence. Thread-safe.
 */
final class Redactor {
    private final Supplier<List<String>> secrets;

    private Redactor(Supplier<SwitchboardConfig> config) {
        this.secrets = ConfigCredentials.following(config, List.of());
    }

    /** A redactor for the configuration {@code config} returns at each use (null: nothing to redact). */
    static Redactor following(Supplier<SwitchboardConfig> config) {
        return new Redactor(Objects.requireNonNull(config, "config"));
    }

    /** {@code text} with every credential replaced by {@code ****}; null stays null. */
    String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets.get()) {
            if (out.contains(s)) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }
}
