package dev.switchboard.runtime.engine;

import dev.switchboard.runtime.config.VariantConfig;
import java.time.Duration;
import java.util.List;

/**
 * A deployment variant with every configuration layer applied and its targets bound to providers and
 * policies: what a call needs apart from its variables. Immutable; cached per call site and
 * configuration snapshot.
 *
 * @param deployment the deployment key (or {@code provider/model} for a direct call)
 * @param variant    the variant name
 * @param version    the configuration version
 * @param config     the effective variant
 * @param targets    primary then fallbacks
 * @param timeout    total time budget
 */
public record ResolvedVariant(String deployment, String variant, String version, VariantConfig config,
                              List<Target> targets, Duration timeout) {
}
