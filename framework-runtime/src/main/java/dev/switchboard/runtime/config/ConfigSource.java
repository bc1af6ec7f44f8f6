package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A layer of configuration: a file, the classpath, system properties, the environment, a remote
 * server. Sources are merged low to high; a later source's values replace an earlier one's at the
 * same key path (objects merge, everything else replaces). Implementations must be thread-safe.
 *
 * <pre>{@code
 * Switchboard.builder().configSource(new ConfigSource() {
 *     public String name() { return "vault"; }
 *     public Optional<ObjectNode> load() { return Optional.of(fetchFromVault()); }
 * }).build();
 * }</pre>
 */
public interface ConfigSource {

    /** Where the values come from, used in error messages (a file path, {@code classpath:switchboard.yaml}…). */
    String name();

    /**
     * The source's tree, with snake_case keys as in {@code switchboard.yaml}; empty when the source
     * has nothing (a missing optional file).
     *
     * @throws dev.switchboard.api.ConfigException when the source exists but cannot be read or parsed
     */
    Optional<ObjectNode> load();

    /** A source named {@code name} whose tree comes from {@code loader} at each load. */
    static ConfigSource of(String name, java.util.function.Supplier<Optional<ObjectNode>> loader) {
        return new ConfigSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<ObjectNode> load() {
                return loader.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
