package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Reply;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An incoming W3C {@code traceparent} becomes the parent of the call span, and the call record carries its trace id. */
class LogTraceContextTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Test
    void theCallerTraceParentsTheCallSpan() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
             LogsFixture fx = LogsFixture.start(LogsFixture.inMemory(null), otel)) {
            fx.fake.enqueue(Reply.text("plain"), Reply.chunks("str", "eamed"), Reply.text("invoked"));
            Map<String, String> traced = Map.of("traceparent", "00-" + TRACE + "-" + PARENT + "-01");
            fx.post("/v1/chat/completions", "{\"model\": \"fake/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}", traced);
            fx.post("/v1/chat/completions", "{\"model\": \"fake/gpt-4o\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"b\"}]}", traced);
            String id = fx.post("/v2/deployments/invoke", "{\"key\": \"greet\", \"inputs\": {\"name\": \"Al\"}}", traced)
                    .headers().firstValue("x-switchboard-call-id").orElseThrow();
            fx.post("/v1/chat/completions", "{\"model\": \"mock/echo\", \"messages\": [{\"role\": \"user\", \"content\": \"untraced\"}]}", Map.of());
            fx.flush();

            List<SpanData> calls = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
            assertThat(calls).hasSize(4);
            assertThat(calls.subList(0, 3)).allSatisfy(s -> {
                assertThat(s.getTraceId()).isEqualTo(TRACE);
                assertThat(s.getParentSpanId()).isEqualTo(PARENT);
                assertThat(s.getParentSpanContext().isRemote()).isTrue();
            });
            assertThat(calls.get(3).getTraceId()).isNotEqualTo(TRACE);
            assertThat(calls.get(3).getParentSpanContext().isValid()).isFalse();
            assertThat(fx.json("/v1/logs/" + id).path("trace_id").asText()).isEqualTo(TRACE);
            assertThat(fx.json("/v1/logs?trace_id=" + TRACE).path("data")).hasSize(3);
            // The host's instance gets the engine's metrics; /metrics still serves the gateway's own.
            String metrics = fx.get("/metrics").body();
            assertThat(metrics).contains("http_server_request_duration_seconds_count").contains("switchboard_calllog_dropped_total")
                    .doesNotContain("gen_ai_client_operation_duration");
        }
    }
}
