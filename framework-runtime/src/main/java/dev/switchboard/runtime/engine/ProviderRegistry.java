package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreaker;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.http.HttpTransport;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The configured providers: one {@link ChatProvider} and one circuit breaker per entry of the
 * {@code providers:} map, created from the {@link ProviderFactory}s found with {@link ServiceLoader}
 * (built-in and third-party alike) plus any given programmatically. Thread-safe and immutable once
 * built.
 */
public final class ProviderRegistry implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProviderRegistry.class);
    private final Map<String, ProviderFactory> factories;
    private final Map<String, Entry> entries;
    private final BreakerTransitions transitions;

    /** A provider entry with its live provider and breaker. */
    record Entry(ProviderEntry config, ChatProvider provider, CircuitBreaker<ChatResponse> breaker) {
    }

    private ProviderRegistry(Map<String, ProviderFactory> factories, Map<String, Entry> entries, BreakerTransitions transitions) {
        this.factories = factories;
        this.entries = entries;
        this.transitions = transitions;
    }

    /**
     * Discovers factories on {@code loader}'s classpath (plus {@code extra}) and creates a provider for
     * every entry of {@code config}.
     *
     * @throws ConfigException for an unknown type or an entry the factory rejects, naming the key path
     */
    public static ProviderRegistry create(SwitchboardConfig config, ClassLoader loader, List<ProviderFactory> extra) {
        return create(config, loader, extra, UnaryOperator.identity());
    }

    /**
     * As {@link #create(SwitchboardConfig, ClassLoader, List)}, with every provider's HTTP transport wrapped
     * by {@code transportDecorator} (e.g. to propagate trace context).
     */
    public static ProviderRegistry create(SwitchboardConfig config, ClassLoader loader, List<ProviderFactory> extra,
                                          UnaryOperator<HttpTransport> transportDecorator) {
        return create(config, loader, extra, transportDecorator, HttpTransport::jdk);
    }

    /**
     * As {@link #create(SwitchboardConfig, ClassLoader, List, UnaryOperator)}, with providers' transports made by
     * {@code transportFactory} (given a connect timeout; called once per distinct timeout) instead of
     * {@link HttpTransport#jdk(Duration)}.
     */
    public static ProviderRegistry create(SwitchboardConfig config, ClassLoader loader, List<ProviderFactory> extra,
                                          UnaryOperator<HttpTransport> transportDecorator,
                                          Function<Duration, HttpTransport> transportFactory) {
        Map<String, ProviderFactory> factories = discover(loader, extra);
        Map<String, Entry> entries = new LinkedHashMap<>();
        BreakerTransitions transitions = new BreakerTransitions();
        Map<Duration, HttpTransport> transports = new ConcurrentHashMap<>();
        String source = String.join(" + ", config.sources());
        for (ProviderEntry e : config.providers().values()) {
            ProviderFactory f = factories.get(e.type());
            if (f == null) {
                throw new ConfigException(source, "providers." + e.name() + ".type",
                        "unknown provider type '" + e.type() + "' (known: " + String.join(", ", new TreeMap<>(factories).keySet()) + ")");
            }
            ProviderConfig pc = ProviderConfig.builder(e.name(), e.type())
                    .baseUrl(e.baseUrl()).apiKey(e.apiKey())
                    .connectTimeout(e.connectTimeout()).requestTimeout(e.requestTimeout())
                    .options(e.options())
                    .transport(transports.computeIfAbsent(e.connectTimeout(), t -> transportDecorator.apply(transportFactory.apply(t))))
                    .build();
            ChatProvider provider;
            try {
                provider = f.create(pc);
            } catch (InvalidProviderConfigException ex) {
                throw new ConfigException(source, "providers." + e.name() + "." + ex.key(), ex.getMessage());
            } catch (RuntimeException ex) {
                throw new ConfigException(source, "providers." + e.name(), "provider type '" + e.type() + "' rejected the entry: " + ex.getMessage());
            }
            entries.put(e.name(), new Entry(e, provider, e.breaker().enabled()
                    ? Policies.breaker(e.breaker(), (from, to) -> transitions.notify(e.name(), from, to)) : null));
        }
        return new ProviderRegistry(Collections.unmodifiableMap(factories), Collections.unmodifiableMap(entries), transitions);
    }

    private static Map<String, ProviderFactory> discover(ClassLoader loader, List<ProviderFactory> extra) {
        Map<String, ProviderFactory> out = new LinkedHashMap<>();
        Iterator<ProviderFactory> it = ServiceLoader.load(ProviderFactory.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ProviderFactory f = it.next();
                out.putIfAbsent(f.type(), f);
            } catch (ServiceConfigurationError e) {
                // A broken plugin must not hide the others; its type will be reported as unknown if used.
                LOG.warn("skipping a provider plugin that cannot be loaded: {}", e.getMessage());
            }
        }
        for (ProviderFactory f : extra) {
            out.put(f.type(), f);
        }
        return out;
    }

    /** The entry named {@code name}, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }

    /** Sends this registry's circuit-breaker state changes to {@code observers} (see {@link CallObserver#breakerTransition}). */
    void watchBreakers(List<CallObserver> observers) {
        transitions.observers.addAll(observers);
    }

    /** Provider entry names. */
    public java.util.Set<String> names() {
        return entries.keySet();
    }

    /** The provider of entry {@code name}, or null. */
    public ChatProvider provider(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.provider();
    }

    /** Known factory types. */
    public java.util.Set<String> types() {
        return factories.keySet();
    }

    /** The state of each provider's circuit breaker ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, or {@code DISABLED}). */
    public Map<String, String> breakerStates() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.breaker() == null ? "DISABLED" : v.breaker().getState().name()));
        return out;
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) {
            try {
                e.provider().close();
            } catch (RuntimeException ignored) {
                // closing must not stop other providers from closing
            }
        }
    }

    /** Fans breaker state changes out to observers, shielding the call from their failures. */
    private static final class BreakerTransitions {
        final List<CallObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

        void notify(String provider, String from, String to) {
            LOG.info("circuit breaker of provider '{}': {} -> {}", provider, from, to);
            for (CallObserver o : observers) {
                try {
                    o.breakerTransition(provider, from, to);
                } catch (RuntimeException e) {
                    LOG.warn("observer failed on a breaker transition: {}", e.toString());
                }
            }
        }
    }
}
