package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.failsafe.spi.Scheduler;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.FeedbackBuilder;
import dev.switchboard.runtime.config.ConfigFiles;
import dev.switchboard.runtime.config.ConfigLoader;
import dev.switchboard.runtime.config.ConfigOverrides;
import dev.switchboard.runtime.config.ConfigSource;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.deploy.DefinitionValidator;
import dev.switchboard.runtime.deploy.DeploymentSource;
import dev.switchboard.runtime.deploy.ManagedConfig;
import dev.switchboard.runtime.deploy.RemoteConfigSource;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.ProviderRegistry;
import dev.switchboard.runtime.proxy.InterfaceFactory;
import dev.switchboard.runtime.report.ReportSettings;
import dev.switchboard.runtime.report.Reporter;
import dev.switchboard.runtime.telemetry.OpenTelemetryObserver;
import dev.switchboard.runtime.telemetry.TelemetryOptions;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.http.HttpTransport;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The entry point: loads configuration, discovers providers and implements prompt interfaces.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder().config(Path.of("switchboard.yaml")).build();
 * SupportBot bot = sb.create(SupportBot.class);
 * String answer = bot.answer("ACME", "Where is my parcel?", "en");
 * }</pre>
 *
 * <p>Configuration layers, low to high: annotations, {@code switchboard.yaml} on the classpath, files
 * given to {@link Builder#config(Path)}, sources given to {@link Builder#configSource}, system
 * properties {@code switchboard.*}, environment variables {@code SWITCHBOARD__*}. {@code ${ENV}} and
 * {@code ${ENV:-default}} are interpolated from the environment, then system properties.
 *
 * <p>Thread-safe; create one per application and share it. Implementations returned by
 * {@link #create(Class)} are thread-safe too. {@link #close()} releases providers.
 */
public final class Switchboard implements AutoCloseable {
    private final Engine engine;
    private final InterfaceFactory interfaces;
    private final ObjectMapper mapper;
    private final CallLog callLog;
    private final ManagedConfig managed;
    private final Reporter reporter;

    private Switchboard(Engine engine, ObjectMapper mapper, CallLog callLog, ManagedConfig managed, Reporter reporter) {
        this.engine = engine;
        this.mapper = mapper;
        this.callLog = callLog;
        this.managed = managed;
        this.reporter = reporter;
        this.interfaces = new InterfaceFactory(engine, mapper);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The implementation of a prompt interface; every method is parsed and validated now, and the
     * same instance is returned on later calls.
     *
     * @throws dev.switchboard.api.DefinitionException naming the interface, method and problem
     */
    public <T> T create(Class<T> type) {
        return interfaces.create(Objects.requireNonNull(type, "type"));
    }

    /** The engine, for hosts such as the gateway that build invocations themselves. */
    public Engine engine() {
        return engine;
    }

    /** The configuration in force. */
    public SwitchboardConfig config() {
        return engine.config();
    }

    /** The JSON mapper used for structured output. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    /**
     * The configuration kept up to date at run time (file hot reload, a deployment store, a remote gateway),
     * with its status; empty unless {@link Builder#watchConfig}, {@link Builder#deploymentStore} or
     * {@link Builder#remoteConfig} was used.
     */
    public Optional<ManagedConfig> managedConfig() {
        return Optional.ofNullable(managed);
    }

    /** The reporter of {@link Builder#reportTo}, if one is configured (its counters, {@code flush}). */
    public Optional<Reporter> reporter() {
        return Optional.ofNullable(reporter);
    }

    /**
     * Feedback on call {@code callId} ({@code Completion.callId()}): recorded in the call log's store when it keeps
     * feedback, and sent to the gateway of {@link Builder#reportTo} when one is configured.
     *
     * @throws IllegalStateException when neither is configured
     */
    public FeedbackBuilder feedback(String callId) {
        return Reporter.feedback(callId, callLog, reporter);
    }

    @Override
    public void close() {
        if (managed != null) {
            managed.close();
        }
        engine.close();
        if (callLog != null) {
            callLog.close();
        }
        if (reporter != null) {
            reporter.close();
        }
    }

    /** Builds a {@link Switchboard}. Not thread-safe. */
    public static final class Builder {
        private final List<ConfigSource> files = new ArrayList<>();
        private final List<Path> paths = new ArrayList<>();
        private final List<DeploymentSource> deploymentSources = new ArrayList<>();
        private RemoteConfigSource.Builder remote;
        private boolean watch;
        private final List<ConfigSource> sources = new ArrayList<>();
        private final List<ProviderFactory> factories = new ArrayList<>();
        private String classpathResource = "switchboard.yaml";
        private Map<String, String> environment = System.getenv();
        private Properties systemProperties = System.getProperties();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Switchboard.class.getClassLoader();
        private ObjectMapper mapper;
        private final List<CallObserver> observers = new ArrayList<>();
        private OpenTelemetry openTelemetry;
        private TelemetryOptions telemetryOptions = TelemetryOptions.defaults();
        private CallLog callLog;
        private ReportSettings reportTo;
        private Function<Duration, HttpTransport> httpTransport = HttpTransport::jdk;
        private Scheduler delayedWork;

        private Builder() {
        }

        /** Adds a configuration file (YAML or JSON); it must exist. */
        public Builder config(Path file) {
            files.add(ConfigFiles.file(Objects.requireNonNull(file, "file")));
            paths.add(file);
            return this;
        }

        /**
         * Hot reload: when a file given to {@link #config(Path)} changes, the configuration is loaded again and
         * applied without a restart; an invalid edit is logged and kept as {@link ManagedConfig#status()}'s
         * error while the previous configuration keeps serving.
         */
        public Builder watchConfig(boolean enabled) {
            watch = enabled;
            return this;
        }

        /**
         * Serves the current versions of {@code source}'s deployments (a {@link dev.switchboard.runtime.deploy.DeploymentStore}),
         * replacing the files' deployments of the same keys and following its changes; {@link Switchboard#close()}
         * closes it.
         */
        public Builder deploymentStore(DeploymentSource source) {
            deploymentSources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * Configuration-management mode: deployments (prompts, models, routing) come from the gateway at
         * {@code gateway}, refreshed every {@code refresh} in the background, with a last-known-good copy in
         * {@code lkgFile} to start from when the gateway is down; see {@link RemoteConfigSource}.
         *
         * @param apiKey  the gateway key, or null
         * @param lkgFile the last-known-good file, or null for none
         */
        public Builder remoteConfig(URI gateway, String apiKey, Path lkgFile, Duration refresh) {
            remote = RemoteConfigSource.builder(gateway).apiKey(apiKey).cacheFile(lkgFile).refresh(refresh);
            return this;
        }

        /** Adds configuration from YAML or JSON text (for tests and embedded defaults). */
        public Builder configYaml(String yaml) {
            files.add(ConfigFiles.text("inline configuration", yaml));
            return this;
        }

        /** Adds a configuration source above the files. */
        public Builder configSource(ConfigSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The classpath resource read first ({@code switchboard.yaml} by default); null to read none. */
        public Builder classpathConfig(String resource) {
            classpathResource = resource;
            return this;
        }

        /** The environment used for {@code ${ENV}} and {@code SWITCHBOARD__*} overrides (default: the process's). */
        public Builder environment(Map<String, String> env) {
            environment = Map.copyOf(env);
            return this;
        }

        /** The system properties used for {@code switchboard.*} overrides (default: the JVM's). */
        public Builder systemProperties(Properties props) {
            systemProperties = props;
            return this;
        }

        /** Registers a provider factory in addition to those found with {@code ServiceLoader}. */
        public Builder providerFactory(ProviderFactory factory) {
            factories.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** The class loader for {@code ServiceLoader} and the classpath configuration. */
        public Builder classLoader(ClassLoader loader) {
            classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Adds an observer of every call (telemetry, call logs); see {@link CallObserver}. */
        public Builder observer(CallObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** As {@link #openTelemetry(OpenTelemetry, TelemetryOptions)} with the default options (no message contents). */
        public Builder openTelemetry(OpenTelemetry otel) {
            return openTelemetry(otel, TelemetryOptions.defaults());
        }

        /**
         * Reports every call to {@code otel} (spans and metrics of the GenAI semantic conventions) and
         * propagates trace context to providers; see {@link OpenTelemetryObserver}. Without it no telemetry
         * code runs on the request path.
         */
        public Builder openTelemetry(OpenTelemetry otel, TelemetryOptions options) {
            openTelemetry = Objects.requireNonNull(otel, "otel");
            telemetryOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Logs every call to {@code log}; {@link Switchboard#close()} closes it (writing what is queued). */
        public Builder callLog(CallLog log) {
            callLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /** The call log given to {@link #callLog(CallLog)}, if any (for hosts that add one only when none was given). */
        public Optional<CallLog> givenCallLog() {
            return Optional.ofNullable(callLog);
        }

        /** The OpenTelemetry instance given to {@link #openTelemetry}, if any. */
        public Optional<OpenTelemetry> givenOpenTelemetry() {
            return Optional.ofNullable(openTelemetry);
        }

        /**
         * How providers' HTTP transports are made, given a provider's connect timeout (default:
         * {@link HttpTransport#jdk(Duration)}); the gateway supplies one on its own event loops. The transports
         * made belong to the caller: {@link Switchboard#close()} does not close them.
         */
        public Builder httpTransport(Function<Duration, HttpTransport> factory) {
            httpTransport = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Configuration-management mode: reports every call (and {@link Switchboard#feedback feedback}) to the gateway
         * of {@code settings}, in the background, spilling to disk while it is unreachable; see {@link Reporter}.
         * Works alongside {@link #callLog}; {@link Switchboard#close()} sends what is queued.
         */
        public Builder reportTo(ReportSettings settings) {
            reportTo = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Where the engine's delayed work runs: each call's total timeout (armed when a call does not end at once,
         * cancelled when it ends) and retry backoff. Default: one shared daemon timer thread. A host that runs
         * calls on event loops passes a scheduler that schedules on the calling loop, so that a call's timer is
         * armed and cancelled without waking another thread (the gateway does). {@code scheduler} is called on
         * the threads calls start and end on, must not block, and must accept work until the Switchboard is closed.
         */
        public Builder delayedWork(Scheduler scheduler) {
            delayedWork = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The Jackson mapper for structured output. */
        public Builder objectMapper(ObjectMapper m) {
            mapper = m;
            return this;
        }

        /**
         * Loads configuration and creates providers.
         *
         * @throws dev.switchboard.api.ConfigException naming the source, key path and problem
         */
        public Switchboard build() {
            ManagedConfig managed = managed();
            SwitchboardConfig config = managed != null ? managed.config() : loader().load();
            AtomicReference<Engine> built = new AtomicReference<>();
            Supplier<SwitchboardConfig> current = () -> built.get() == null ? config : built.get().config();
            List<CallObserver> all = new ArrayList<>(observers);
            UnaryOperator<HttpTransport> transports = UnaryOperator.identity();
            if (openTelemetry != null) {
                OpenTelemetryObserver otel = OpenTelemetryObserver.create(openTelemetry, telemetryOptions, current);
                all.add(otel); // before the call log, which takes the call's span ids from it
                transports = otel.transportDecorator();
                if (callLog != null) {
                    callLog.reportTo(openTelemetry);
                }
            }
            if (callLog != null) {
                all.add(callLog.observer(current));
            }
            ProviderRegistry registry;
            try {
                registry = ProviderRegistry.create(config, classLoader, factories, transports, httpTransport);
            } catch (RuntimeException e) {
                if (managed != null) {
                    managed.close();
                }
                throw e;
            }
            ObjectMapper m = mapper != null ? mapper : JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).findAndAddModules().build();
            Reporter reporter = reportTo == null ? null : Reporter.start(reportTo);
            if (reporter != null) {
                all.add(reporter.callLog().observer(current));
                if (openTelemetry != null) {
                    reporter.reportTo(openTelemetry);
                }
            }
            Engine engine = new Engine(config, registry, all, delayedWork);
            built.set(engine);
            if (managed != null) {
                UnaryOperator<HttpTransport> t = transports;
                Function<Duration, HttpTransport> h = httpTransport;
                managed.start(engine, c -> ProviderRegistry.create(c, classLoader, factories, t, h));
            }
            return new Switchboard(engine, m, callLog, managed, reporter);
        }

        private ManagedConfig managed() {
            if (!watch && deploymentSources.isEmpty() && remote == null) {
                return null;
            }
            ConfigLoader loader = loader();
            ManagedConfig.Builder b = ManagedConfig.builder(loader);
            deploymentSources.forEach(b::ownedDeployments);
            if (watch) {
                paths.forEach(b::watch);
            }
            RemoteConfigSource source = null;
            if (remote != null) {
                source = remote.validator(DefinitionValidator.against(() -> loader.load().providers().keySet())).build();
                b.ownedDeployments(source);
            }
            try {
                return b.build();
            } catch (RuntimeException e) {
                if (source != null) {
                    source.close();
                }
                throw e;
            }
        }

        /** The loader of this builder's configuration layers (for hosts that reload). */
        public ConfigLoader loader() {
            List<ConfigSource> all = new ArrayList<>();
            if (classpathResource != null) {
                all.add(ConfigFiles.classpath(classpathResource, classLoader));
            }
            all.addAll(files);
            all.addAll(sources);
            all.add(ConfigOverrides.systemProperties(systemProperties));
            all.add(ConfigOverrides.environment(environment));
            Map<String, String> env = environment;
            Properties props = systemProperties;
            return new ConfigLoader(all, name -> env.containsKey(name) ? env.get(name) : props.getProperty(name));
        }
    }
}
