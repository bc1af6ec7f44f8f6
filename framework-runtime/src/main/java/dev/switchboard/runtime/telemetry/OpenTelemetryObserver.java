package dev.switchboard.runtime.telemetry;

import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.http.HttpTransport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reports every call to OpenTelemetry following the GenAI semantic conventions (v1.37), using only the
 * OpenTelemetry API: the SDK, exporters and sampling are the host's.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder().openTelemetry(openTelemetry).build();
 * }</pre>
 *
 * <p>Spans: one {@link SpanKind#CLIENT} span per call, named {@code chat {gen_ai.request.model}} (or
 * {@code embeddings {gen_ai.request.model}} for an embeddings call), child
 * of {@link Context#current()} where the call was made (so a gateway request's server span is its
 * parent); under it one span per attempt sent to a provider, named {@code attempt {provider}/{model}},
 * with its number, kind ({@code first}, {@code retry}, {@code fallback}) and outcome. Each attempt span is
 * current while the provider sends its request, so a {@link TracePropagatingTransport} carries it to the
 * provider as {@code traceparent}. Metrics: see {@link GenAiMetrics}. Message contents are recorded only
 * with {@link TelemetryOptions#captureContent()}.
 *
 * <p>Thread-safe. Cheap but not free: when it is not configured, nothing of it runs.
 */
public final class OpenTelemetryObserver implements CallObserver {
    private final Tracer tracer;
    final GenAiMetrics metrics;
    final boolean captureContent;
    private final TextMapPropagator propagator;
    private final Function<String, String> providerTypes;

    /**
     * @param otel          where spans and metrics go
     * @param options       content capture and propagation
     * @param providerTypes the factory type of a provider entry name (e.g. {@code azure-eu} → {@code azure-openai}),
     *                      null when unknown
     */
    public OpenTelemetryObserver(OpenTelemetry otel, TelemetryOptions options, Function<String, String> providerTypes) {
        Objects.requireNonNull(otel, "otel");
        Objects.requireNonNull(options, "options");
        this.providerTypes = Objects.requireNonNull(providerTypes, "providerTypes");
        String version = OpenTelemetryObserver.class.getPackage().getImplementationVersion();
        var tb = otel.tracerBuilder(GenAi.SCOPE).setSchemaUrl(GenAi.SCHEMA_URL);
        var mb = otel.meterBuilder(GenAi.SCOPE).setSchemaUrl(GenAi.SCHEMA_URL);
        if (version != null) {
            tb.setInstrumentationVersion(version);
            mb.setInstrumentationVersion(version);
        }
        this.tracer = tb.build();
        this.metrics = new GenAiMetrics(mb.build());
        this.captureContent = options.captureContent();
        TextMapPropagator p = options.propagator() != null ? options.propagator() : otel.getPropagators().getTextMapPropagator();
        this.propagator = p.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : p;
    }

    /** An observer that reads provider types from the configuration in force ({@code config} is read per call). */
    public static OpenTelemetryObserver create(OpenTelemetry otel, TelemetryOptions options, Supplier<SwitchboardConfig> config) {
        Objects.requireNonNull(config, "config");
        return new OpenTelemetryObserver(otel, options, name -> {
            ProviderEntry e = config.get().providers().get(name);
            return e == null ? null : e.type();
        });
    }

    @Override
    public Call start(CallStart s) {
        ChatRequest req = s.request();
        String entry = s.variant().config().model() == null ? null : s.variant().config().model().provider();
        String providerName = providerName(entry);
        SpanBuilder b = tracer.spanBuilder(GenAi.CHAT + " " + req.model())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT)
                .setAttribute(GenAi.PROVIDER_NAME, providerName)
                .setAttribute(GenAi.REQUEST_MODEL, req.model())
                .setAttribute(GenAi.DEPLOYMENT, s.variant().deployment())
                .setAttribute(GenAi.VARIANT, s.variant().variant())
                .setAttribute(GenAi.VERSION, s.variant().version())
                .setAttribute(GenAi.CALL_ID, s.callId())
                .setAttribute(GenAi.STREAMING, s.streaming());
        if (entry != null) {
            b.setAttribute(GenAi.PROVIDER, entry);
        }
        if (req.temperature() != null) {
            b.setAttribute(GenAi.REQUEST_TEMPERATURE, req.temperature());
        }
        if (req.topP() != null) {
            b.setAttribute(GenAi.REQUEST_TOP_P, req.topP());
        }
        if (req.maxTokens() != null) {
            b.setAttribute(GenAi.REQUEST_MAX_TOKENS, req.maxTokens().longValue());
        }
        if (req.seed() != null) {
            b.setAttribute(GenAi.REQUEST_SEED, req.seed());
        }
        Span span = b.startSpan();
        if (captureContent && span.isRecording()) {
            span.setAttribute(GenAi.INPUT_MESSAGES, MessageContent.input(req.messages()));
        }
        CallSpans.publish(s.callId(), span.getSpanContext());
        return new CallSpan(this, span, s, providerName);
    }

    @Override
    public Call embeddings(EmbeddingsStart s) {
        String entry = s.variant().config().model() == null ? null : s.variant().config().model().provider();
        String providerName = providerName(entry);
        SpanBuilder b = tracer.spanBuilder(GenAi.EMBEDDINGS + " " + s.request().model())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAttribute(GenAi.OPERATION_NAME, GenAi.EMBEDDINGS)
                .setAttribute(GenAi.PROVIDER_NAME, providerName)
                .setAttribute(GenAi.REQUEST_MODEL, s.request().model())
                .setAttribute(GenAi.DEPLOYMENT, s.variant().deployment())
                .setAttribute(GenAi.VARIANT, s.variant().variant())
                .setAttribute(GenAi.VERSION, s.variant().version())
                .setAttribute(GenAi.CALL_ID, s.callId());
        if (entry != null) {
            b.setAttribute(GenAi.PROVIDER, entry);
        }
        if (s.request().dimensions() != null) {
            b.setAttribute(GenAi.EMBEDDINGS_DIMENSION_COUNT, s.request().dimensions().longValue());
        }
        Span span = b.startSpan();
        CallSpans.publish(s.callId(), span.getSpanContext());
        return new EmbeddingsSpan(this, span, s, providerName);
    }

    /** Starts the span of one attempt under {@code parent}. */
    Span startAttempt(Span parent, String provider, String model, int number, String kind) {
        return tracer.spanBuilder("attempt " + provider + "/" + model)
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.root().with(parent))
                .setAttribute(GenAi.PROVIDER_NAME, providerName(provider))
                .setAttribute(GenAi.PROVIDER, provider)
                .setAttribute(GenAi.REQUEST_MODEL, model)
                .setAttribute(GenAi.ATTEMPT_NUMBER, (long) number)
                .setAttribute(GenAi.ATTEMPT_KIND, kind)
                .startSpan();
    }

    /** The {@code gen_ai.provider.name} of provider entry {@code entry}. */
    String providerName(String entry) {
        return ProviderNames.of(entry == null ? null : providerTypes.apply(entry));
    }

    /** The propagator that injects trace context into provider requests. */
    public TextMapPropagator propagator() {
        return propagator;
    }

    /** Wraps provider transports so they propagate trace context (for {@code ProviderRegistry.create}). */
    public UnaryOperator<HttpTransport> transportDecorator() {
        return TracePropagatingTransport.decorator(propagator);
    }

    /**
     * Counts a circuit-breaker state change of provider entry {@code provider} on
     * {@code switchboard.client.circuit_breaker.transitions}. States are reported in lower case
     * ({@code closed}, {@code open}, {@code half_open}). Meant for the engine's breaker listeners.
     */
    public void breakerTransition(String provider, String from, String to) {
        metrics.breakerTransitions.add(1, Attributes.of(GenAi.PROVIDER, String.valueOf(provider),
                GenAi.PROVIDER_NAME, providerName(provider),
                GenAi.BREAKER_PREVIOUS_STATE, String.valueOf(from).toLowerCase(Locale.ROOT),
                GenAi.BREAKER_STATE, String.valueOf(to).toLowerCase(Locale.ROOT)));
    }
}
