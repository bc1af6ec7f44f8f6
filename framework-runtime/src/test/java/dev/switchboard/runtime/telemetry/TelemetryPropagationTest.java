package dev.switchboard.runtime.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trace context reaching a provider's server over real HTTP. */
class TelemetryPropagationTest {

    @Model("openai/gpt-test")
    interface Bot {
        @UserMessage("{{q}}")
        String ask(@Var("q") String q);
    }

    private final FakeLlmServer server = FakeLlmServer.start();

    @AfterEach
    void close() {
        server.close();
    }

    private Switchboard.Builder builder() {
        return ScriptProvider.builder("providers: { openai: { type: openai, base_url: \"%s\", api_key: sk-test-123456 } }"
                .formatted(server.baseUrl()));
    }

    @Test
    void theAttemptSpanReachesTheProviderAsTraceparent() {
        try (OtelHarness otel = new OtelHarness(); Switchboard sb = builder().openTelemetry(otel.sdk).build()) {
            server.enqueue(Reply.text("hello"));
            assertThat(sb.create(Bot.class).ask("hi")).isEqualTo("hello");
            SpanData attempt = otel.span("attempt openai/gpt-test");
            RecordedRequest req = server.requests().get(0);
            assertThat(req.header("traceparent")).isEqualTo("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-"
                    + attempt.getSpanContext().getTraceFlags().asHex());
            assertThat(req.header("authorization")).isEqualTo("Bearer sk-test-123456");
            assertThat(otel.span("chat gpt-test").getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("openai");
        }
    }

    @Test
    void w3cTraceContextIsUsedWhenTheSdkHasNoPropagator() {
        try (OtelHarness otel = new OtelHarness(false); Switchboard sb = builder().openTelemetry(otel.sdk).build()) {
            server.enqueue(Reply.text("hello"));
            sb.create(Bot.class).ask("hi");
            assertThat(server.requests().get(0).header("traceparent")).startsWith("00-" + otel.span("chat gpt-test").getTraceId());
        }
    }

    @Test
    void nothingIsAddedWithoutOpenTelemetry() {
        try (Switchboard sb = builder().build()) {
            server.enqueue(Reply.text("hello"));
            sb.create(Bot.class).ask("hi");
            assertThat(server.requests().get(0).header("traceparent")).isNull();
        }
    }
}
