package dev.switchboard.gateway;

import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes the configured provider credentials from text bound for a client or a log line. Providers
 * promise never to put credentials in messages; this is the second line of defence. Immutable and
 * thread-safe.
 */
final class Redactor {
    private static final int MIN_SECRET = 4;
    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for the {@code api_key} of every provider entry of {@code config}. */
    static Redactor of(SwitchboardConfig config) {
        List<String> s = new ArrayList<>();
        for (ProviderEntry e : config.providers().values()) {
            String key = e.apiKey().reveal();
            if (key.length() >= MIN_SECRET) {
                s.add(key);
            }
        }
        s.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(s));
    }

    /** {@code text} with every credential replaced by {@code ****}; null stays null. */
    String apply(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }
}
