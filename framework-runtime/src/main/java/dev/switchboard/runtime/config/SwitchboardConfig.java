package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration after layering, interpolation and validation. Immutable and thread-safe;
 * a reload produces a new instance.
 *
 * @param providers   provider entries by name
 * @param deployments deployments by key
 * @param gateway     the {@code gateway:} section as a tree, for the gateway module (empty when absent)
 * @param sources     names of the sources it was built from, low to high
 * @param version     a content hash of the whole configuration
 */
public record SwitchboardConfig(Map<String, ProviderEntry> providers, Map<String, DeploymentConfig> deployments,
                                ObjectNode gateway, List<String> sources, String version) {
    /** Copies collections. */
    public SwitchboardConfig {
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        deployments = Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
        gateway = gateway == null ? JsonNodeFactory.instance.objectNode() : gateway;
        sources = List.copyOf(sources);
    }
}
