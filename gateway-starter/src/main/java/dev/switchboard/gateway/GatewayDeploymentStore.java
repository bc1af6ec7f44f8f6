package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.config.ConfigLoader;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.deploy.DefinitionValidator;
import dev.switchboard.runtime.deploy.DeploymentStore;
import dev.switchboard.runtime.deploy.FileDeploymentStore;
import dev.switchboard.runtime.deploy.JdbcDeploymentStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway's deployment store, from {@code gateway.deployment_store}; published definitions are validated
 * against the providers the gateway serves at the time of the publish, and the store's deployments win over
 * the configuration files' (see {@link dev.switchboard.runtime.deploy.ManagedConfig}).
 *
 * <pre>{@code
 * gateway:
 *   deployment_store: { type: files, dir: /var/lib/switchboard/deployments }     # one YAML file per version
 *   deployment_store: { type: jdbc, url: "jdbc:postgresql://db:5432/switchboard", user: sb, password: "${DB_PASSWORD}",
 *                       pool_size: 4 }                                            # shared by several gateways
 *   # both: poll_interval: 1s  (how soon a change made elsewhere is seen)
 * }</pre>
 *
 * Stateless and thread-safe.
 */
final class GatewayDeploymentStore {
    private static final Set<String> FILES_KEYS = Set.of("type", "dir", "poll_interval");
    private static final Set<String> JDBC_KEYS = Set.of("type", "url", "user", "password", "pool_size", "poll_interval");

    private GatewayDeploymentStore() {
    }

    /**
     * Builds the {@link Switchboard} of {@code builder} with the configured store attached (closed with it).
     *
     * @throws ConfigException naming {@code gateway.deployment_store.<key>} when the section is invalid
     */
    static Switchboard build(Switchboard.Builder builder) {
        ConfigLoader loader = builder.loader();
        SwitchboardConfig pre = loader.load();
        AtomicReference<Switchboard> built = new AtomicReference<>();
        Supplier<Collection<String>> providers = () -> built.get() != null
                ? built.get().config().providers().keySet() : loader.load().providers().keySet();
        DeploymentStore store = create(pre, DefinitionValidator.against(providers));
        if (store != null) {
            builder.deploymentStore(store);
        }
        try {
            built.set(builder.build());
            return built.get();
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /** The store of a running gateway, if one is configured. */
    static Optional<DeploymentStore> of(Switchboard sb) {
        return sb.managedConfig().flatMap(m -> m.sources().stream().filter(DeploymentStore.class::isInstance)
                .map(DeploymentStore.class::cast).findFirst());
    }

    /** The configured store, or null when there is no {@code gateway.deployment_store}. */
    static DeploymentStore create(SwitchboardConfig config, DefinitionValidator validator) {
        JsonNode s = config.gateway().get("deployment_store");
        if (s == null || s.isNull()) {
            return null;
        }
        String source = String.join(" + ", config.sources());
        String path = "gateway.deployment_store";
        if (!s.isObject()) {
            throw new ConfigException(source, path, "must be a mapping such as {type: files, dir: ./deployments}");
        }
        String type = s.path("type").asText("files");
        Set<String> allowed = switch (type) {
            case "files" -> FILES_KEYS;
            case "jdbc" -> JDBC_KEYS;
            default -> throw new ConfigException(source, path + ".type", "must be files or jdbc, was '" + type + "'");
        };
        s.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw new ConfigException(source, path + "." + k, "unknown key for type " + type + " (allowed: " + allowed + ")");
            }
        });
        Duration poll = Duration.ofSeconds(1);
        if (s.hasNonNull("poll_interval")) {
            poll = GatewaySettings.parseDuration(s.get("poll_interval"));
            if (poll == null || poll.isZero()) {
                throw new ConfigException(source, path + ".poll_interval", "must be a positive duration such as 1s or 500ms");
            }
        }
        if (type.equals("files")) {
            return FileDeploymentStore.builder(Path.of(required(s, "dir", source, path))).validator(validator).pollInterval(poll).build();
        }
        return jdbc(s, source, path, validator, poll);
    }

    private static DeploymentStore jdbc(JsonNode s, String source, String path, DefinitionValidator validator, Duration poll) {
        String url = required(s, "url", source, path);
        if (!url.startsWith("jdbc:")) {
            throw new ConfigException(source, path + ".url", "must be a JDBC URL such as jdbc:postgresql://host:5432/db");
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(s.path("user").asText(null));
        hc.setPassword(s.path("password").asText(null));
        hc.setMaximumPoolSize(s.path("pool_size").asInt(4));
        hc.setPoolName("sb-deployment-store");
        hc.setConnectionTimeout(5_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            // The message names the URL and the driver's reason, never the password.
            throw new ConfigException(source, path, "cannot connect to " + url + ": " + e.getMessage());
        }
        try {
            return JdbcDeploymentStore.builder(ds).validator(validator).pollInterval(poll).closing(ds).build();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static String required(JsonNode s, String key, String source, String path) {
        JsonNode v = s.get(key);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new ConfigException(source, path + "." + key, "is required");
        }
        return v.textValue();
    }
}
