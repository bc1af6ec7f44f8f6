package dev.switchboard.runtime.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved variants of one call site (an annotated method), valid for one configuration snapshot.
 * Thread-safe: a configuration change replaces the map wholesale.
 */
public final class ResolutionCache {
    private volatile Slot slot = new Slot(null);

    record Slot(Object config, ConcurrentHashMap<String, ResolvedVariant> byVariant) {
        Slot(Object config) {
            this(config, new ConcurrentHashMap<>());
        }
    }

    ConcurrentHashMap<String, ResolvedVariant> forConfig(Object config) {
        Slot s = slot;
        if (s.config() != config) {
            s = new Slot(config);
            slot = s;
        }
        return s.byVariant();
    }
}
