package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides whether a definition may be published to a {@link DeploymentStore}. Implementations must be
 * thread-safe and must not modify the definition.
 *
 * <pre>{@code
 * DefinitionValidator v = DefinitionValidator.against(() -> switchboard.config().providers().keySet());
 * }</pre>
 */
@FunctionalInterface
public interface DefinitionValidator {

    /**
     * Checks {@code definition} as deployment {@code key}.
     *
     * @throws dev.switchboard.api.ConfigException with source {@code deployment '<key>'} and the key path inside the
     *                                             definition when it is invalid
     */
    void check(String key, ObjectNode definition);

    /**
     * The configuration rules of {@code switchboard.yaml}, with model references checked against the provider
     * entries {@code providers} supplies at the time of each check (the gateway's current configuration).
     */
    static DefinitionValidator against(Supplier<? extends Collection<String>> providers) {
        Objects.requireNonNull(providers, "providers");
        return (key, definition) -> DeploymentDefinitions.parse(null, key, definition, providers.get(), "check");
    }

    /**
     * The configuration rules of {@code switchboard.yaml} without checking that providers exist (any
     * {@code provider/model} reference is accepted); for stores that are not attached to a configuration.
     */
    static DefinitionValidator structure() {
        return (key, definition) -> DeploymentDefinitions.parse(null, key, definition,
                DeploymentDefinitions.referencedProviders(definition), "check");
    }
}
