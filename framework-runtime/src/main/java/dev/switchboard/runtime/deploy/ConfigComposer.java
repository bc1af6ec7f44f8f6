package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.DeploymentConfig;
import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.config.Versions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the file configuration and the current versions of deployment sources together: a source's
 * deployment replaces the file configuration's deployment of the same key as a whole (a later source wins
 * over an earlier one), is parsed with the file configuration's providers, and carries its version
 * ({@code v3}) as {@code DeploymentConfig.version}. Stateless and thread-safe.
 */
final class ConfigComposer {
    private ConfigComposer() {
    }

    /** The composed configuration and the version of each sourced deployment. */
    record Composed(SwitchboardConfig config, Map<String, String> versions) {
    }

    /**
     * Composes {@code base} with the current versions of {@code sources}.
     *
     * @throws dev.switchboard.api.ConfigException naming the source, deployment, version and key path of an invalid definition
     * @throws DeploymentStoreException            when a source cannot be read
     */
    static Composed compose(SwitchboardConfig base, List<DeploymentSource> sources) {
        if (sources.isEmpty()) {
            return new Composed(base, Map.of());
        }
        Map<String, DeploymentConfig> deployments = new LinkedHashMap<>(base.deployments());
        Map<String, String> versions = new LinkedHashMap<>();
        ObjectNode fingerprint = JsonNodeFactory.instance.objectNode().put("base", base.version());
        ObjectNode fp = fingerprint.putObject("deployments");
        List<String> names = new ArrayList<>(base.sources());
        for (DeploymentSource s : sources) {
            for (DeploymentVersion v : s.list()) {
                String src = s.name() + ": deployment '" + v.key() + "' " + v.label();
                deployments.put(v.key(), DeploymentDefinitions.parse(src, v.key(), v.definition(), base.providers().keySet(), v.label()));
                versions.put(v.key(), v.label());
                fp.put(v.key(), v.label() + ":" + Versions.of(v.definition()));
            }
            names.add(s.name());
        }
        return new Composed(new SwitchboardConfig(base.providers(), deployments, base.gateway(), names, Versions.of(fingerprint)), versions);
    }

    /** Whether two configurations have the same provider entries (so the providers need not be rebuilt). */
    static boolean sameProviders(SwitchboardConfig a, SwitchboardConfig b) {
        Map<String, ProviderEntry> x = a.providers();
        Map<String, ProviderEntry> y = b.providers();
        if (x.size() != y.size()) {
            return false;
        }
        Iterator<ProviderEntry> i = x.values().iterator();
        Iterator<ProviderEntry> j = y.values().iterator();
        while (i.hasNext()) {
            if (!same(i.next(), j.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(ProviderEntry a, ProviderEntry b) {
        return a.name().equals(b.name()) && a.type().equals(b.type()) && Objects.equals(a.baseUrl(), b.baseUrl())
                && a.apiKey().reveal().equals(b.apiKey().reveal()) && a.connectTimeout().equals(b.connectTimeout())
                && a.requestTimeout().equals(b.requestTimeout()) && a.breaker().equals(b.breaker()) && a.options().equals(b.options());
    }
}
