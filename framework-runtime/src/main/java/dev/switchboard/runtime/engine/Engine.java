package dev.switchboard.runtime.engine;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.spi.Scheduler;
import dev.switchboard.api.ConfigException;
import dev.switchboard.api.InvalidRequestException;
import dev.switchboard.api.TemplateException;
import dev.switchboard.api.UnknownDeploymentException;
import dev.switchboard.runtime.config.DeploymentConfig;
import dev.switchboard.runtime.config.MessageTemplate;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.runtime.routing.Routing;
import dev.switchboard.runtime.template.Template;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engine every call goes through, in-process or from the gateway: configuration resolution,
 * routing, rendering, the policy pipeline and the provider call. Thread-safe; configuration can be
 * replaced at run time with {@link #reconfigure}, and calls in flight finish on the snapshot they
 * started with.
 *
 * <pre>{@code
 * CompletableFuture<CallResult> r = engine.call(Invocation.builder("support-bot.answer")
 *     .variables(Map.of("question", "Where is my parcel?")).build());
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private final Policies policies = new Policies();
    private final List<CallObserver> observers;
    private final InlineScheduler scheduler;
    private volatile Snapshot snapshot;

    /**
     * The key of a provider's Failsafe executor for one retry policy (a record: no string built per call), made per
     * call. Its hash and equality are written out (docs/design.md, "Map keys made per call").
     */
    record ExecutorKey(String provider, RetrySpec retry) {
        @Override
        public int hashCode() {
            return 31 * provider.hashCode() + Objects.hashCode(retry);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExecutorKey k && provider.equals(k.provider) && Objects.equals(retry, k.retry);
        }
    }

    /** Configuration and the providers built from it, replaced together. */
    record Snapshot(SwitchboardConfig config, ProviderRegistry registry,
                    ConcurrentHashMap<ExecutorKey, FailsafeExecutor<ChatResponse>> executors,
                    ConcurrentHashMap<String, ResolutionCache> caches) {
        Snapshot(SwitchboardConfig config, ProviderRegistry registry) {
            this(config, registry, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    /** An engine over {@code config} with the providers of {@code registry}. */
    public Engine(SwitchboardConfig config, ProviderRegistry registry) {
        this(config, registry, List.of());
    }

    /** An engine whose calls are watched by {@code observers} (telemetry, call logs). */
    public Engine(SwitchboardConfig config, ProviderRegistry registry, List<CallObserver> observers) {
        this(config, registry, observers, null);
    }

    /**
     * An engine whose calls are watched by {@code observers} and whose delayed work (call timeouts, retry backoff)
     * runs on {@code delayed}; {@code null}: one shared daemon timer thread. {@code delayed} is called on the
     * threads calls start and end on, and must not block.
     */
    public Engine(SwitchboardConfig config, ProviderRegistry registry, List<CallObserver> observers, Scheduler delayed) {
        this.snapshot = new Snapshot(config, registry);
        this.scheduler = delayed == null ? InlineScheduler.INSTANCE : new InlineScheduler(delayed);
        this.observers = List.copyOf(observers);
        registry.watchBreakers(this.observers);
    }

    /** The current configuration. */
    public SwitchboardConfig config() {
        return snapshot.config();
    }

    /** The current providers. */
    public ProviderRegistry providers() {
        return snapshot.registry();
    }

    /** Replaces configuration and providers; the previous registry is closed once calls started on it may still use it. */
    public void reconfigure(SwitchboardConfig config, ProviderRegistry registry) {
        if (registry != snapshot.registry()) {
            registry.watchBreakers(observers);
        }
        snapshot = new Snapshot(config, registry);
    }

    /**
     * Runs a call and completes with its result. Never throws: failures complete the future with a
     * {@link dev.switchboard.api.SwitchboardException} subtype (resolution and rendering errors before
     * any network I/O).
     */
    public CompletableFuture<CallResult> call(Invocation invocation) {
        return run(invocation, null);
    }

    /** As {@link #call}, streaming the answer's chunks to {@code sink} as they arrive. */
    public CompletableFuture<CallResult> stream(Invocation invocation, ChunkSink sink) {
        return run(invocation, sink);
    }

    /**
     * Runs an embeddings call: {@code request}'s inputs embedded by the primary model of the variant {@code invocation}
     * resolves to (a deployment key, or a model given as an override), under that model's retry spec, its provider's
     * circuit breaker and the variant's timeout, watched by the observers (spans, metrics, the call log) as chat calls
     * are. Fallbacks do not apply: another model's vectors are not interchangeable. {@code request}'s model is
     * replaced by the primary model's. Never throws: failures complete the future with a
     * {@link dev.switchboard.api.SwitchboardException} subtype.
     */
    public CompletableFuture<EmbeddingsResult> embed(Invocation invocation, EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        ResolvedVariant variant;
        try {
            variant = resolve(invocation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String model = variant.targets().get(0).ref().model();
        EmbeddingRequest req = model.equals(request.model()) ? request : new EmbeddingRequest(model, request.inputs(), request.dimensions());
        String callId = invocation.callId() != null ? invocation.callId() : newCallId();
        EmbeddingsExecution execution = new EmbeddingsExecution(variant, req, callId, scheduler);
        if (!observers.isEmpty()) {
            execution.watch(Observers.embeddings(observers, new CallObserver.EmbeddingsStart(callId, invocation, variant, req)));
        }
        return execution.start();
    }

    private CompletableFuture<CallResult> run(Invocation invocation, ChunkSink sink) {
        ResolvedVariant variant;
        ChatRequest request;
        try {
            variant = resolve(invocation);
            request = render(variant, invocation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String callId = invocation.callId() != null ? invocation.callId() : newCallId();
        CallExecution execution = new CallExecution(variant, request, sink, callId, scheduler);
        if (!observers.isEmpty()) {
            execution.watch(Observers.start(observers, new CallObserver.CallStart(callId, invocation, variant, request, sink != null)));
        }
        return execution.start();
    }

    /**
     * Resolves which variant of which deployment a call uses, with every configuration layer applied.
     *
     * @throws UnknownDeploymentException when nothing defines the deployment
     * @throws ConfigException            when the effective variant has no model or names an unknown provider
     */
    public ResolvedVariant resolve(Invocation inv) {
        Snapshot s = snapshot;
        DeploymentConfig dep = inv.deployment() == null ? null : s.config().deployments().get(inv.deployment());
        DeploymentConfig group = inv.group() == null ? null : s.config().deployments().get(inv.group());
        String variantName = route(dep != null ? dep : group, inv.context());
        ResolutionCache cache = inv.overrides() != null ? null
                : inv.cache != null ? inv.cache
                : s.caches().computeIfAbsent(inv.deployment() == null ? "" : inv.deployment(), k -> new ResolutionCache());
        if (cache != null) {
            ResolvedVariant cached = cache.forConfig(s).get(variantName);
            if (cached != null) {
                return cached;
            }
        }
        if (dep == null && group == null && inv.defaults() == null && (inv.overrides() == null || inv.overrides().model() == null)) {
            throw new UnknownDeploymentException(inv.deployment(), "unknown deployment '" + inv.deployment() + "' (configured: "
                    + s.config().deployments().keySet() + ")");
        }
        VariantConfig v = inv.defaults() != null ? inv.defaults() : VariantConfig.empty(variantName);
        if (group != null) {
            v = v.overlay(variantOf(group, variantName));
        }
        if (dep != null) {
            v = v.overlay(variantOf(dep, variantName));
        }
        v = v.overlay(inv.overrides());
        String key = inv.deployment() != null ? inv.deployment() : String.valueOf(v.model());
        if (v.model() == null) {
            throw new ConfigException(String.join(" + ", s.config().sources()), "deployments." + key,
                    "variant '" + variantName + "' has no model (set model in configuration or @Model)");
        }
        List<Target> targets = new ArrayList<>(1 + v.fallbacksOrEmpty().size());
        targets.add(target(s, v.model(), v.retryOrDefault(), key));
        for (ModelRef f : v.fallbacksOrEmpty()) {
            targets.add(target(s, f, v.retryOrDefault(), key));
        }
        String version = dep != null ? dep.version() : group != null ? group.version() : "code";
        ResolvedVariant resolved = new ResolvedVariant(key, variantName, version, v, List.copyOf(targets), v.timeoutOrDefault());
        if (cache != null) {
            cache.forConfig(s).put(variantName, resolved);
        }
        return resolved;
    }

    private static VariantConfig variantOf(DeploymentConfig d, String name) {
        VariantConfig v = d.variants().get(name);
        return v != null ? v : d.defaultVariantConfig();
    }

    /** Picks the variant for a context with the deployment's routing rules. */
    private static String route(DeploymentConfig d, Map<String, String> context) {
        return d == null ? "default" : d.routing().route(context);
    }

    /** Which variant routing picks for {@code inv}, and why (for get_config and the playground). */
    public Routing.Decision explain(Invocation inv) {
        Snapshot s = snapshot;
        DeploymentConfig d = inv.deployment() == null ? null : s.config().deployments().get(inv.deployment());
        if (d == null && inv.group() != null) {
            d = s.config().deployments().get(inv.group());
        }
        return d == null ? new Routing.Decision("default", -1, null, "not configured: annotation defaults")
                : d.routing().decide(inv.context());
    }

    private Target target(Snapshot s, ModelRef ref, RetrySpec retry, String deployment) {
        ProviderRegistry.Entry entry = s.registry().entry(ref.provider());
        if (entry == null) {
            throw new UnknownDeploymentException(ref.toString(), "deployment '" + deployment + "': unknown provider '" + ref.provider()
                    + "' in model reference '" + ref + "' (configured providers: " + s.registry().names() + ")");
        }
        FailsafeExecutor<ChatResponse> executor = s.executors().computeIfAbsent(new ExecutorKey(ref.provider(), retry),
                k -> entry.breaker() == null
                        ? Failsafe.with(policies.retriesAfterFirst(retry)).with(scheduler)
                        : Failsafe.with(policies.retriesAfterFirst(retry), entry.breaker()).with(scheduler));
        return new Target(ref, entry.provider(), entry.breaker(), retry, executor);
    }

    /**
     * Renders a resolved variant's messages with the call's variables, appends the call's own
     * messages, and builds the provider request for the primary model.
     *
     * @throws TemplateException       naming deployment, variant, message and variable when a value is missing
     * @throws InvalidRequestException when there is no message or a parameter is invalid
     */
    public ChatRequest render(ResolvedVariant variant, Invocation inv) {
        List<MessageTemplate> templates = variant.config().messages() == null ? List.of() : variant.config().messages();
        ChatRequest.Builder b = ChatRequest.builder(variant.targets().get(0).ref().model());
        for (int i = 0; i < templates.size(); i++) {
            MessageTemplate t = templates.get(i);
            try {
                b.message(ChatMessage.of(t.role(), t.template().render(inv.variables())));
            } catch (Template.MissingVariableException e) {
                throw new TemplateException(e.variable(), "deployment '" + variant.deployment() + "' variant '" + variant.variant()
                        + "': messages[" + i + "] (" + t.role().wireName() + ") uses {{" + e.variable() + "}} but the call gives no value for it");
            }
        }
        b.messages(inv.messages());
        if (templates.isEmpty() && inv.messages().isEmpty()) {
            throw new InvalidRequestException("messages", "deployment '" + variant.deployment() + "' has no messages and the call gave none");
        }
        try {
            b.parameters(variant.config().parameters()).parameters(inv.parameters());
            b.responseFormat(inv.responseFormat()).toolChoice(inv.toolChoice()).includeUsage(inv.includeUsage());
            inv.tools().forEach(b::tool);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("parameters", "deployment '" + variant.deployment() + "' variant '" + variant.variant() + "': " + e.getMessage());
        }
    }

    /** A new call id: {@code call_} followed by the time in hex and 64 random bits; unique in practice, not secret. */
    public static String newCallId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "call_" + Long.toHexString(System.currentTimeMillis()) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    @Override
    public void close() {
        snapshot.registry().close();
    }
}
