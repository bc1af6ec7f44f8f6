package dev.switchboard.runtime.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one definition of which configuration values are credentials, for everything that must keep them out of
 * responses, log lines and call records (the gateway's error redaction, the call log's secret masking).
 *
 * <p>For every provider entry: its {@code api_key}, and, walking its options recursively (maps and lists, so
 * {@code direct_fallback: { api_key: ... }} is covered), every string value under a key whose name looks like a
 * credential (lower-cased, {@code _}/{@code -} removed, it contains {@code key}, {@code token}, {@code secret},
 * {@code password}, {@code passwd}, {@code authorization} or {@code credential}: {@code api_key}, {@code apiKey},
 * {@code access_token}, {@code client_secret}, ...) and every string value under a {@code headers} map (header
 * values often carry {@code Authorization} or {@code api-key}). Values shorter than {@link #MIN_LENGTH} characters
 * are skipped: masking them would mangle ordinary text. Stateless and thread-safe.
 */
public final class ConfigCredentials {
    /** Values shorter than this are not treated as credentials (the call log masks from the same length). */
    public static final int MIN_LENGTH = 6;
    private static final List<String> CREDENTIAL_WORDS =
            List.of("key", "token", "secret", "password", "passwd", "authorization", "credential");

    private ConfigCredentials() {
    }

    /**
     * The credentials of {@code config}'s provider entries: distinct, longest first (so a credential that contains
     * another is replaced whole), each at least {@link #MIN_LENGTH} characters; empty for a null config.
     */
    public static List<String> of(SwitchboardConfig config) {
        return longestFirst(collect(config, new LinkedHashSet<>()));
    }

    /** As {@link #of(SwitchboardConfig)}, for the given provider entries. */
    public static List<String> of(Collection<ProviderEntry> providers) {
        return longestFirst(collect(providers, new LinkedHashSet<>()));
    }

    /** Adds the credentials of {@code config}'s provider entries (none for a null config) to {@code out}; returns it. */
    private static Set<String> collect(SwitchboardConfig config, Set<String> out) {
        return config == null ? out : collect(config.providers().values(), out);
    }

    private static Set<String> collect(Collection<ProviderEntry> providers, Set<String> out) {
        for (ProviderEntry e : providers) {
            if (e.apiKey() != null) {
                add(out, e.apiKey().reveal());
            }
            walk(e.options(), false, out);
        }
        return out;
    }

    /** {@code values} (distinct) longest first, so that a credential containing another is replaced whole. */
    private static List<String> longestFirst(Set<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(sorted);
    }

    /**
     * The credentials of the configuration {@code config} gives at each call (null, or a null configuration: none), then
     * {@code extra} as given: distinct, longest first. Computed again only when the configuration instance changes, so
     * that readers on every call (the call log's writer, the gateway's error redaction) follow reloads at the cost of a
     * reference comparison. Thread-safe: a race on a change at worst computes the same list twice.
     */
    public static Supplier<List<String>> following(Supplier<SwitchboardConfig> config, Collection<String> extra) {
        return new Following(config, List.copyOf(extra));
    }

    /** {@link #following}'s supplier. */
    private static final class Following implements Supplier<List<String>> {
        private final Supplier<SwitchboardConfig> config;
        private final List<String> extra;
        private volatile Cached cached;

        private record Cached(SwitchboardConfig config, List<String> secrets) {
        }

        Following(Supplier<SwitchboardConfig> config, List<String> extra) {
            this.config = config;
            this.extra = extra;
        }

        @Override
        public List<String> get() {
            SwitchboardConfig c = config == null ? null : config.get();
            Cached k = cached;
            if (k == null || k.config() != c) {
                Set<String> all = collect(c, new LinkedHashSet<>());
                all.addAll(extra);
                k = new Cached(c, longestFirst(all));
                cached = k;
            }
            return k.secrets();
        }
    }

    /** Whether an option named {@code name} holds a credential (see the class comment). */
    public static boolean isCredentialName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (String w : CREDENTIAL_WORDS) {
            if (n.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static void walk(Object value, boolean secret, Set<String> out) {
        if (value instanceof String s) {
            if (secret) {
                add(out, s);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                boolean headers = "headers".equals(name.toLowerCase(Locale.ROOT));
                walk(e.getValue(), secret || headers || isCredentialName(name), out);
            }
        } else if (value instanceof Iterable<?> items) {
            for (Object item : items) {
                walk(item, secret, out);
            }
        }
    }

    private static void add(Set<String> out, String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            out.add(value);
        }
    }
}
