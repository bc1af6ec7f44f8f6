package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.runtime.config.ConfigFiles;
import dev.switchboard.runtime.config.ConfigLoader;
import dev.switchboard.runtime.config.ConfigOverrides;
import dev.switchboard.runtime.config.ConfigSource;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.ProviderRegistry;
import dev.switchboard.runtime.proxy.InterfaceFactory;
import dev.switchboard.spi.ProviderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

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

    private Switchboard(Engine engine, ObjectMapper mapper) {
        this.engine = engine;
        this.mapper = mapper;
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

    @Override
    public void close() {
        engine.close();
    }

    /** Builds a {@link Switchboard}. Not thread-safe. */
    public static final class Builder {
        private final List<ConfigSource> files = new ArrayList<>();
        private final List<ConfigSource> sources = new ArrayList<>();
        private final List<ProviderFactory> factories = new ArrayList<>();
        private String classpathResource = "switchboard.yaml";
        private Map<String, String> environment = System.getenv();
        private Properties systemProperties = System.getProperties();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Switchboard.class.getClassLoader();
        private ObjectMapper mapper;
        private final List<CallObserver> observers = new ArrayList<>();

        private Builder() {
        }

        /** Adds a configuration file (YAML or JSON); it must exist. */
        public Builder config(Path file) {
            files.add(ConfigFiles.file(Objects.requireNonNull(file, "file")));
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
            SwitchboardConfig config = loader().load();
            ProviderRegistry registry = ProviderRegistry.create(config, classLoader, factories);
            ObjectMapper m = mapper != null ? mapper : JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).findAndAddModules().build();
            return new Switchboard(new Engine(config, registry, observers), m);
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
