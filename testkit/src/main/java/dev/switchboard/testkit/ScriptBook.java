package dev.switchboard.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All scripting state of one server: the global script, per-path scripts, raw routes and random faults.
 * Thread-safe (concurrent maps, synchronized scripts, a synchronized seeded RNG).
 */
final class ScriptBook {

    private final Script global = new Script();
    private final Map<String, Script> byPath = new ConcurrentHashMap<>();
    private final Map<String, RawResponse> rawRoutes = new ConcurrentHashMap<>();
    private volatile RandomFaults randomFaults;

    Script global() {
        return global;
    }

    Script forPath(String path) {
        return byPath.computeIfAbsent(Objects.requireNonNull(path, "path"), p -> new Script());
    }

    void raw(String method, String path, RawResponse response) {
        Objects.requireNonNull(response, "response");
        rawRoutes.put(key(method, path), response);
    }

    RawResponse rawRoute(String method, String path) {
        return rawRoutes.get(key(method, path));
    }

    void randomFaults(double probability, long seed, Behavior... faults) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0..1: " + probability);
        }
        if (faults.length == 0) {
            throw new IllegalArgumentException("at least one fault is required");
        }
        for (Behavior f : faults) {
            Objects.requireNonNull(f, "fault");
        }
        randomFaults = new RandomFaults(probability, new Random(seed), List.of(faults));
    }

    void clearRandomFaults() {
        randomFaults = null;
    }

    /**
     * Picks the behaviour for a request: path queue, global queue, random fault, path default, raw route,
     * global default, echo, in that order.
     */
    Behavior next(String method, String path) {
        Script pathScript = byPath.get(path);
        Behavior b = pathScript == null ? null : pathScript.poll();
        if (b == null) {
            b = global.poll();
        }
        if (b == null) {
            RandomFaults rf = randomFaults;
            b = rf == null ? null : rf.roll();
        }
        if (b == null && pathScript != null) {
            b = pathScript.fallback();
        }
        if (b == null) {
            b = rawRoute(method, path);
        }
        if (b == null) {
            b = global.fallback();
        }
        return b == null ? Reply.echo() : b;
    }

    void reset() {
        global.clear();
        byPath.clear();
        rawRoutes.clear();
        randomFaults = null;
    }

    private static String key(String method, String path) {
        return Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT) + ' '
                + Objects.requireNonNull(path, "path");
    }

    /** Seeded fault injection; {@link #roll()} is synchronized so the draw order follows request order. */
    private static final class RandomFaults {
        private final double probability;
        private final Random random;
        private final List<Behavior> faults;

        RandomFaults(double probability, Random random, List<Behavior> faults) {
            this.probability = probability;
            this.random = random;
            this.faults = faults;
        }

        synchronized Behavior roll() {
            if (random.nextDouble() >= probability) {
                return null;
            }
            return faults.size() == 1 ? faults.get(0) : faults.get(random.nextInt(faults.size()));
        }
    }
}
