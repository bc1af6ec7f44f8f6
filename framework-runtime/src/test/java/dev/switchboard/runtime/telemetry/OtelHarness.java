package dev.switchboard.runtime.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;

/** An OpenTelemetry SDK exporting to memory, for tests. */
public final class OtelHarness implements AutoCloseable {
    public final InMemorySpanExporter spans = InMemorySpanExporter.create();
    public final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    public final OpenTelemetrySdk sdk;

    public OtelHarness(boolean withPropagator) {
        var b = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build());
        if (withPropagator) {
            b.setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        }
        sdk = b.build();
    }

    public OtelHarness() {
        this(true);
    }

    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** The finished span named {@code name}, waiting briefly for it. */
    public SpanData span(String name) {
        try {
            Await.until(() -> spans().stream().anyMatch(s -> s.getName().equals(name)));
        } catch (AssertionError ignored) {
            // reported below with the names present
        }
        return spans().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans().stream().map(SpanData::getName).toList()));
    }

    public List<SpanData> spansStartingWith(String prefix) {
        return spans().stream().filter(s -> s.getName().startsWith(prefix)).toList();
    }

    public Optional<MetricData> metric(List<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    public static <T> T attr(SpanData s, AttributeKey<T> key) {
        return s.getAttributes().get(key);
    }

    @Override
    public void close() {
        sdk.close();
    }
}
