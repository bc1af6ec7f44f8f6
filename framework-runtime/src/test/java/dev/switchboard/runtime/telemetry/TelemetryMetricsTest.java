package dev.switchboard.runtime.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.config.SwitchboardConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryMetricsTest {
    private final OtelHarness otel = new OtelHarness();

    @AfterEach
    void close() {
        otel.close();
    }

    private static List<HistogramPointData> histogram(Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).findFirst()
                .map(m -> new ArrayList<HistogramPointData>(m.getHistogramData().getPoints())).orElseThrow(() -> new AssertionError("no " + name));
    }

    private static long counter(Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).findFirst()
                .map(m -> m.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum()).orElse(0L);
    }

    /** The metrics once {@code ready} holds for them (see {@link Await}), else as they are. */
    private Collection<MetricData> metricsOnce(java.util.function.Predicate<Collection<MetricData>> ready) {
        try {
            Await.until(() -> ready.test(otel.metrics.collectAllMetrics()));
        } catch (AssertionError ignored) {
            // the assertions on the metrics say what is missing
        }
        return otel.metrics.collectAllMetrics();
    }

    private static long histogramCount(Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getHistogramData().getPoints().stream()).mapToLong(HistogramPointData::getCount).sum();
    }

    @Test
    void durationAndTokenUsageFollowTheGenAiConventions() {
        try (Switchboard sb = ScriptProvider.builder(TelemetrySpansTest.YAML).openTelemetry(otel.sdk).build()) {
            TelemetrySpansTest.call(sb);
            TelemetrySpansTest.call(sb);
        }
        // token usage is the last metric a successful call records: two calls, input and output each
        Collection<MetricData> all = metricsOnce(m -> histogramCount(m, "gen_ai.client.token.usage") >= 4);
        MetricData duration = all.stream().filter(m -> m.getName().equals("gen_ai.client.operation.duration")).findFirst().orElseThrow();
        assertThat(duration.getUnit()).isEqualTo("s");
        HistogramPointData point = duration.getHistogramData().getPoints().iterator().next();
        assertThat(point.getCount()).isEqualTo(2);
        assertThat(point.getBoundaries()).isEqualTo(GenAi.DURATION_BUCKETS);
        assertThat(point.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo("chat");
        assertThat(point.getAttributes().get(GenAi.REQUEST_MODEL)).isEqualTo("m");
        assertThat(point.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("m-2025");
        assertThat(point.getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("script");

        List<HistogramPointData> tokens = histogram(all, "gen_ai.client.token.usage");
        assertThat(tokens).extracting(p -> p.getAttributes().get(GenAi.TOKEN_TYPE)).containsExactlyInAnyOrder("input", "output");
        assertThat(tokens).allSatisfy(p -> assertThat(p.getBoundaries()).hasSize(GenAi.TOKEN_BUCKETS.size()));
        HistogramPointData input = tokens.stream().filter(p -> "input".equals(p.getAttributes().get(GenAi.TOKEN_TYPE))).findFirst().orElseThrow();
        assertThat(input.getSum()).isEqualTo(60.0);
        assertThat(counter(all, "switchboard.client.retries")).isZero();
    }

    @Test
    void retriesFallbacksAndErrorsAreCounted() {
        try (Switchboard sb = ScriptProvider.builder(TelemetrySpansTest.YAML).openTelemetry(otel.sdk).build()) {
            ScriptProvider.get("p").fail(503).fail(503);
            TelemetrySpansTest.call(sb);
            ScriptProvider.get("p").fail(400);
            ScriptProvider.get("q").fail(500);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TelemetrySpansTest.call(sb)).isInstanceOf(CompletionException.class);
        }
        Collection<MetricData> all = metricsOnce(m -> counter(m, "switchboard.client.fallbacks") >= 2
                && counter(m, "switchboard.client.retries") >= 1 && histogramCount(m, "gen_ai.client.operation.duration") >= 2);
        assertThat(counter(all, "switchboard.client.retries")).isEqualTo(1);
        assertThat(counter(all, "switchboard.client.fallbacks")).isEqualTo(2);
        assertThat(histogram(all, "gen_ai.client.operation.duration"))
                .anySatisfy(p -> assertThat(p.getAttributes().get(GenAi.ERROR_TYPE)).isEqualTo("500"));
    }

    @Test
    void streamsRecordTimeToFirstChunk() {
        List<String> chunks = new CopyOnWriteArrayList<>();
        try (Switchboard sb = ScriptProvider.builder(TelemetrySpansTest.YAML).openTelemetry(otel.sdk).build()) {
            for (int i = 0; i < 2; i++) {
                ScriptProvider.get("p").reply("one two three");
                sb.engine().stream(Invocation.builder("greet").variables(Map.of("name", "Ann")).build(), c -> chunks.add(c.text())).join();
            }
        }
        assertThat(chunks).isNotEmpty();
        List<HistogramPointData> ttfc = histogram(otel.metrics.collectAllMetrics(), "switchboard.client.time_to_first_chunk");
        assertThat(ttfc).singleElement().satisfies(p -> { // both calls in one series
            assertThat(p.getCount()).isEqualTo(2);
            assertThat(p.getBoundaries()).isEqualTo(GenAi.FIRST_CHUNK_BUCKETS);
            assertThat(p.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo(GenAi.CHAT);
            assertThat(p.getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("script");
            assertThat(p.getAttributes().get(GenAi.REQUEST_MODEL)).isEqualTo("m");
            assertThat(p.getAttributes().get(GenAi.DEPLOYMENT)).isEqualTo("greet");
            assertThat(p.getAttributes().size()).isEqualTo(4);
        });
        assertThat(otel.span("chat m").getEvents()).anyMatch(e -> e.getName().equals("switchboard.first_chunk"));
        assertThat(OtelHarness.attr(otel.span("chat m"), GenAi.STREAMING)).isTrue();
    }

    @Test
    void breakerTransitionsAreCountedWhenReported() {
        try (Switchboard sb = ScriptProvider.builder(TelemetrySpansTest.YAML).build()) {
            SwitchboardConfig config = sb.config();
            OpenTelemetryObserver observer = OpenTelemetryObserver.create(otel.sdk, TelemetryOptions.defaults(), () -> config);
            observer.breakerTransition("p", "CLOSED", "OPEN");
            observer.breakerTransition("p", "OPEN", "HALF_OPEN");
        }
        MetricData m = otel.metrics.collectAllMetrics().stream()
                .filter(x -> x.getName().equals("switchboard.client.circuit_breaker.transitions")).findFirst().orElseThrow();
        assertThat(m.getLongSumData().getPoints()).extracting(LongPointData::getAttributes)
                .contains(Attributes.of(GenAi.PROVIDER, "p", GenAi.PROVIDER_NAME, "script",
                        GenAi.BREAKER_PREVIOUS_STATE, "closed", GenAi.BREAKER_STATE, "open"));
    }

    @Test
    void aRealBreakerOpeningIsCounted() {
        String yaml = """
                providers:
                  p: { type: script, circuit_breaker: { failure_threshold: 2, failure_window: 2, delay: 1m } }
                deployments:
                  d: { model: p/m, messages: [{ role: user, content: "hi" }] }
                """;
        try (Switchboard sb = ScriptProvider.builder(yaml).openTelemetry(otel.sdk).build()) {
            ScriptProvider.get("p").fail(503).fail(503);
            for (int i = 0; i < 3; i++) { // two failures open the breaker; the third call is refused by it
                assertThat(sb.engine().call(Invocation.builder("d").build())).isCompletedExceptionally();
            }
        }
        Collection<MetricData> all = metricsOnce(m -> counter(m, "switchboard.client.circuit_breaker.transitions") >= 1);
        MetricData m = all.stream().filter(x -> x.getName().equals("switchboard.client.circuit_breaker.transitions")).findFirst().orElseThrow();
        assertThat(m.getLongSumData().getPoints()).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getAttributes()).isEqualTo(Attributes.of(GenAi.PROVIDER, "p", GenAi.PROVIDER_NAME, "script",
                    GenAi.BREAKER_PREVIOUS_STATE, "closed", GenAi.BREAKER_STATE, "open"));
        });
    }
}
