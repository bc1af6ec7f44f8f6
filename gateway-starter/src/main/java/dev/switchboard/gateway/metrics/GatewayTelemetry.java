package dev.switchboard.gateway.metrics;

import dev.switchboard.api.ConfigException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's OpenTelemetry: what the engine reports spans and GenAI metrics to, what the gateway records its
 * own metrics with, and the Prometheus reader behind {@code GET /metrics}.
 *
 * <ul>
 *   <li>{@link #autoconfigured()}: an SDK configured from the standard {@code OTEL_*} environment variables (or
 *       {@code otel.*} system properties), with two defaults changed so that a plain start needs no collector:
 *       {@code OTEL_TRACES_EXPORTER}, {@code OTEL_METRICS_EXPORTER} and {@code OTEL_LOGS_EXPORTER} are
 *       {@code none} unless set (set them to {@code otlp} and {@code OTEL_EXPORTER_OTLP_ENDPOINT} to export), the
 *       sampler is {@code parentbased_always_off} while no trace exporter is set (a request without a
 *       {@code traceparent} starts an unsampled trace whose ids are still made and propagated; a caller's sampled
 *       or unsampled decision is kept, so the provider gets the caller's flags), and the
 *       service name is {@code switchboard-gateway}, and OTLP goes over {@code http/protobuf} (the JDK's HTTP client;
 *       {@code grpc} is not supported and stops the start with a configuration error). A Prometheus reader is always added: {@code /metrics} shows
 *       everything, the engine's metrics included. {@code prometheus} in {@code OTEL_METRICS_EXPORTER} is
 *       ignored (the gateway serves it on its own port).</li>
 *   <li>{@link #around(OpenTelemetry)}: the host's instance gets the engine's spans and metrics (the gateway does
 *       not close it); {@code /metrics} then shows only the gateway's own metrics, from a private meter
 *       provider.</li>
 * </ul>
 *
 * Thread-safe. {@link #close()} flushes and shuts down what the gateway created.
 */
public final class GatewayTelemetry implements AutoCloseable {
    /** The instrumentation scope of the gateway's own metrics. */
    public static final String SCOPE = "dev.switchboard.gateway";
    private final OpenTelemetry engine;
    private final PrometheusMetricReader reader;
    private final Meter meter;
    private final boolean engineOnEndpoint;
    private final Runnable shutdown;
    private final TraceContexts traces;

    private GatewayTelemetry(OpenTelemetry engine, PrometheusMetricReader reader, Meter meter, boolean engineOnEndpoint, Runnable shutdown) {
        this.engine = engine;
        this.reader = reader;
        this.meter = meter;
        this.engineOnEndpoint = engineOnEndpoint;
        this.shutdown = shutdown;
        this.traces = new TraceContexts(engine.getPropagators().getTextMapPropagator());
    }

    /** An SDK configured from {@code OTEL_*} (see the class comment), with the Prometheus reader. */
    public static GatewayTelemetry autoconfigured() {
        PrometheusMetricReader reader = PrometheusMetricReader.builder().setOtelScopeLabelsEnabled(false).build();
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of("otel.traces.exporter", "none", "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none", "otel.service.name", "switchboard-gateway",
                            "otel.exporter.otlp.protocol", "http/protobuf"))
                    .addPropertiesCustomizer(GatewayTelemetry::adjust)
                    .addMeterProviderCustomizer((b, cfg) -> b.registerMetricReader(reader))
                    .disableShutdownHook()
                    .build().getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new ConfigException("OTEL_* environment variables", "otel", "cannot configure OpenTelemetry: " + root.getMessage()
                    + " (the gateway exports OTLP over http/protobuf only: leave OTEL_EXPORTER_OTLP_PROTOCOL unset or http/protobuf)");
        }
        return new GatewayTelemetry(sdk, reader, sdk.getMeter(SCOPE), true, () -> sdk.shutdown().join(5, TimeUnit.SECONDS));
    }

    private static Map<String, String> adjust(io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties cfg) {
        Map<String, String> out = new HashMap<>();
        List<String> metrics = cfg.getList("otel.metrics.exporter");
        if (metrics.stream().anyMatch(m -> m.trim().equalsIgnoreCase("prometheus"))) {
            List<String> rest = metrics.stream().filter(m -> !m.trim().equalsIgnoreCase("prometheus")).toList();
            out.put("otel.metrics.exporter", rest.isEmpty() ? "none" : String.join(",", rest));
        }
        List<String> traces = cfg.getList("otel.traces.exporter");
        boolean noTraces = traces.isEmpty() || traces.stream().allMatch(t -> t.trim().toLowerCase(Locale.ROOT).equals("none"));
        if (noTraces && cfg.getString("otel.traces.sampler") == null) {
            // Parent-based: a caller's sampled traceparent stays sampled on the way to the provider (flags 01), so
            // downstream traces are not broken; a request without one starts an unsampled trace as before.
            out.put("otel.traces.sampler", "parentbased_always_off");
        }
        return out;
    }

    /** The host's {@code otel} for the engine; a private meter provider for the gateway's metrics and {@code /metrics}. */
    public static GatewayTelemetry around(OpenTelemetry otel) {
        Objects.requireNonNull(otel, "otel");
        PrometheusMetricReader reader = PrometheusMetricReader.builder().setOtelScopeLabelsEnabled(false).build();
        SdkMeterProvider own = SdkMeterProvider.builder().registerMetricReader(reader).build();
        return new GatewayTelemetry(otel, reader, own.get(SCOPE), false, () -> own.shutdown().join(5, TimeUnit.SECONDS));
    }

    /** Where the engine reports spans and metrics. */
    public OpenTelemetry openTelemetry() {
        return engine;
    }

    /** The meter of the gateway's own metrics. */
    public Meter meter() {
        return meter;
    }

    /** Whether the engine's metrics (and the call log's, registered by the engine) appear on {@code /metrics}. */
    public boolean engineMetricsOnEndpoint() {
        return engineOnEndpoint;
    }

    /** Reads incoming trace context with the configured propagator. */
    public TraceContexts traces() {
        return traces;
    }

    /** Every metric in the Prometheus text format. */
    public byte[] prometheus() {
        return PrometheusText.render(reader);
    }

    @Override
    public void close() {
        shutdown.run();
    }

    @Override
    public String toString() {
        return "GatewayTelemetry[" + (engineOnEndpoint ? "autoconfigured" : "host OpenTelemetry") + "]";
    }
}
