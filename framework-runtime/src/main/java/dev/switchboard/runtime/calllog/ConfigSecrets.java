package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The credentials of the configuration in force: every provider's {@code api_key}, plus string options
 * whose names suggest a credential ({@code *key*}, {@code *secret*}, {@code *token*}, {@code *password*}).
 * Recomputed only when the configuration instance changes. Thread-safe.
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
        if (c != null) {
            for (ProviderEntry e : c.providers().values()) {
                if (e.apiKey() != null && !e.apiKey().isEmpty()) {
                    out.add(e.apiKey().reveal());
                }
                for (Map.Entry<String, Object> o : e.options().entrySet()) {
                    String name = o.getKey().toLowerCase(Locale.ROOT);
                    if (o.getValue() instanceof String s && (name.contains("key") || name.contains("secret")
                            || name.contains("token") || name.contains("password"))) {
                        out.add(s);
                    }
                }
            }
        }
        // Longest first, so a key containing another is masked whole.
        out.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return List.copyOf(out);
    }
}
