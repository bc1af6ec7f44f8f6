package dev.switchboard.runtime.deploy;

import dev.switchboard.runtime.config.ConfigLoader;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.ProviderRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Configuration that changes while the process runs: the layered file configuration plus the current
 * versions of {@link DeploymentSource}s (a {@link DeploymentStore} on a gateway, a {@link RemoteConfigSource}
 * in an application), kept applied to an {@link Engine}. A source's deployment replaces the files' deployment
 * of the same key and reports its version ({@code v3}) with every call.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder().config(Path.of("switchboard.yaml")).watchConfig(true)
 *     .deploymentStore(store).build();
 * sb.managedConfig().orElseThrow().status();     // version, last success, last error
 * }</pre>
 *
 * <p>Reloads happen on one background thread, debounced, when a watched file's content changes, when a
 * source reports a change, or on {@link #reload()}. A reload that fails (an invalid edit, a definition that
 * names a provider that no longer exists, an unreadable source) is logged and kept as {@link #status()}'s
 * last error, and the previous configuration keeps serving. Providers are rebuilt only when the
 * {@code providers} section changed; the replaced ones are closed a few minutes later, once calls started
 * on them have finished. Calls never wait for a reload. Thread-safe.
 */
public final class ManagedConfig implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ManagedConfig.class);
    private static final Duration RETIRE_AFTER = Duration.ofMinutes(5);
    private final ConfigLoader loader;
    private final List<DeploymentSource> sources;
    private final List<DeploymentSource> owned;
    private final List<Path> watched;
    private final Duration debounce;
    private final Duration checksumInterval;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final List<ProviderRegistry> retired = new ArrayList<>();
    private volatile long lastRequest;
    private volatile SwitchboardConfig current;
    private volatile ConfigStatus status;
    private ConfigWatcher watcher;
    private Engine engine;
    private Function<SwitchboardConfig, ProviderRegistry> registries;
    private boolean closed;

    private ManagedConfig(Builder b) {
        this.loader = b.loader;
        this.sources = List.copyOf(b.sources);
        this.owned = List.copyOf(b.owned);
        this.watched = List.copyOf(b.watched);
        this.debounce = b.debounce;
        this.checksumInterval = b.checksumInterval;
        ConfigComposer.Composed c = ConfigComposer.compose(loader.load(), sources);
        this.current = c.config();
        Instant now = Instant.now();
        this.status = new ConfigStatus(current.version(), now, now, null, c.versions(), Map.of());
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-config-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** A builder over the layered file configuration of {@code loader} (see {@code Switchboard.Builder.loader()}). */
    public static Builder builder(ConfigLoader loader) {
        return new Builder(loader);
    }

    /** The configuration in force (the composed one, before {@link #start} the initial one). */
    public SwitchboardConfig config() {
        return current;
    }

    /** The deployment sources, in order (a later one wins). */
    public List<DeploymentSource> sources() {
        return sources;
    }

    /** The current status, with each source's current problem. */
    public ConfigStatus status() {
        ConfigStatus s = status;
        Map<String, String> problems = new LinkedHashMap<>();
        for (DeploymentSource src : sources) {
            String p = src.problem();
            if (p != null) {
                problems.put(src.name(), p);
            }
        }
        return new ConfigStatus(s.version(), s.lastSuccess(), s.lastAttempt(), s.lastError(), s.deployments(), problems);
    }

    /**
     * Starts keeping {@code engine} up to date: subscribes to the sources and starts watching the files.
     *
     * @param registries creates the providers of a configuration whose {@code providers} section changed
     */
    public synchronized void start(Engine engine, Function<SwitchboardConfig, ProviderRegistry> registries) {
        if (this.engine != null) {
            throw new IllegalStateException("already started");
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.registries = Objects.requireNonNull(registries, "registries");
        for (DeploymentSource s : sources) {
            subscriptions.add(s.subscribe(this::requestReload));
        }
        if (!watched.isEmpty()) {
            watcher = new ConfigWatcher(watched, checksumInterval, this::requestReload);
        }
        if (!engine.config().version().equals(current.version())) {
            apply(current);
        }
    }

    /** Asks for a reload soon (debounced: several requests close together give one reload). Never blocks. */
    public void requestReload() {
        lastRequest = System.nanoTime();
        if (pending.compareAndSet(false, true)) {
            schedule(this::debounced, debounce.toNanos());
        }
    }

    private void debounced() {
        long wait = lastRequest + debounce.toNanos() - System.nanoTime();
        if (wait > 0) {
            schedule(this::debounced, wait);
            return;
        }
        pending.set(false);
        reload();
    }

    private void schedule(Runnable task, long nanos) {
        try {
            worker.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * Loads the files and the sources again now and applies the result when it differs. Never throws: a
     * failure is logged and returned as the status's last error, and the previous configuration stays.
     */
    public synchronized ConfigStatus reload() {
        if (closed) {
            return status();
        }
        Instant attempt = Instant.now();
        try {
            ConfigComposer.Composed c = ConfigComposer.compose(loader.load(), sources);
            if (!c.config().version().equals(current.version())) {
                apply(c.config());
                LOG.info("configuration {} in force (from {})", c.config().version(), String.join(" + ", c.config().sources()));
            }
            status = new ConfigStatus(current.version(), attempt, attempt, null, c.versions(), Map.of());
        } catch (RuntimeException e) {
            LOG.warn("configuration not reloaded, {} keeps serving: {}", current.version(), e.getMessage());
            ConfigStatus s = status;
            status = new ConfigStatus(s.version(), s.lastSuccess(), attempt, e.getMessage(), s.deployments(), Map.of());
        }
        return status();
    }

    private void apply(SwitchboardConfig next) {
        if (engine != null) {
            ProviderRegistry old = engine.providers();
            ProviderRegistry registry = ConfigComposer.sameProviders(engine.config(), next) ? old : registries.apply(next);
            engine.reconfigure(next, registry);
            if (registry != old) {
                retired.add(old);
                schedule(() -> retire(old), RETIRE_AFTER.toNanos());
            }
        }
        current = next;
    }

    private synchronized void retire(ProviderRegistry old) {
        if (retired.remove(old)) {
            old.close();
        }
    }

    /** Stops watching and reloading, closes replaced providers and the sources this instance owns. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception ignored) {
                // listeners only
            }
        }
        worker.shutdownNow();
        retired.forEach(ProviderRegistry::close);
        retired.clear();
        owned.forEach(DeploymentSource::close);
    }

    /** Builds a {@link ManagedConfig}. Not thread-safe. */
    public static final class Builder {
        private final ConfigLoader loader;
        private final List<DeploymentSource> sources = new ArrayList<>();
        private final List<DeploymentSource> owned = new ArrayList<>();
        private final List<Path> watched = new ArrayList<>();
        private Duration debounce = Duration.ofMillis(200);
        private Duration checksumInterval = Duration.ofSeconds(2);

        private Builder(ConfigLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
        }

        /** Adds a source whose deployments replace the files' (a later source wins); the caller closes it. */
        public Builder deployments(DeploymentSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Adds a source that {@link ManagedConfig#close()} closes. */
        public Builder ownedDeployments(DeploymentSource source) {
            deployments(source);
            owned.add(source);
            return this;
        }

        /** Reloads when the content of {@code file} changes (hot reload of a configuration file). */
        public Builder watch(Path file) {
            watched.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** How long to wait for more changes before reloading (default 200 ms). */
        public Builder debounce(Duration d) {
            debounce = Objects.requireNonNull(d, "debounce");
            return this;
        }

        /** How often watched files' checksums are compared when no file system event arrives (default 2 s). */
        public Builder checksumInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("checksumInterval must be positive");
            }
            checksumInterval = d;
            return this;
        }

        /**
         * Loads the files and the sources once.
         *
         * @throws dev.switchboard.api.ConfigException naming the source, key path and problem when that configuration is invalid
         * @throws DeploymentStoreException            when a source cannot be read
         */
        public ManagedConfig build() {
            return new ManagedConfig(this);
        }
    }
}
