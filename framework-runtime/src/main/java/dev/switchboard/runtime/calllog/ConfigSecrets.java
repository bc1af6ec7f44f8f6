package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.config.ConfigCredentials;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The credentials of the configuration in force, as {@link ConfigCredentials} defines them (every provider's
 * {@code api_key}, credential-named options at any depth such as {@code direct_fallback.api_key}, every
 * {@code headers} value), plus the extra secrets given. Recomputed only when the configuration instance changes.
 * Thread-safe.
 */
final class ConfigSecrets implements Supplier<Collection<String>> {
    private final Supplier<SwitchboardConfig> config;
    private final Collection<String> extra;
    private volatile Cached cached;

    private record Cached(SwitchboardConfig config, List<String> secrets) {
    }

    ConfigSecrets(Supplier<SwitchboardConfig> config, Collection<String> extra) {
        this.config = config;
        this.extra = List.copyOf(extra);
    }

    @Override
    public Collection<String> get() {
        SwitchboardConfig c = config == null ? null : config.get();
        Cached k = cached;
        if (k == null || k.config() != c) {
            k = new Cached(c, collect(c));
            cached = k;
        }
        return k.secrets();
    }

    private List<String> collect(SwitchboardConfig c) {
        List<String> out = new ArrayList<>(extra);
        out.addAll(ConfigCredentials.of(c));
        // Longest first, so a key containing another is masked whole.
        out.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return List.copyOf(out);
    }
}
