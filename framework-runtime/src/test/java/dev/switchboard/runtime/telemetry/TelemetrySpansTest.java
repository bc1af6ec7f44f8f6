package dev.switchboard.runtime.telemetry;

import static dev.switchboard.runtime.telemetry.OtelHarness.attr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Invocation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetrySpansTest {
    static final String YAML = """
            providers:
              p: { type: script }
              q: { type: script }
            deployments:
              greet:
                model: p/m
                messages: [{ role: user, content: "Hello {{name}}" }]
                parameters: { temperature: 0.25, max_tokens: 64 }
                retry: { count: 1, on_codes: [503], backoff: 1ms, max_backoff: 2ms }
                fallbacks: [q/m2]
            """;

    private final OtelHarness otel = new OtelHarness();

    @AfterEach
    void close() {
        otel.close();
    }

    static CallResult call(Switchboard sb) {
        return sb.engine().call(Invocation.builder("greet").variables(Map.of("name", "Ann")).build()).join();
    }

    @Test
    void aCallIsAClientSpanWithGenAiAttributesAndOneChildPerAttempt() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).build()) {
            CallResult r = call(sb);
            SpanData callSpan = otel.span("chat m");
            SpanData attempt = otel.span("attempt p/m");
            assertThat(callSpan.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(callSpan.getParentSpanContext().isValid()).isFalse();
            assertThat(attr(callSpan, GenAi.OPERATION_NAME)).isEqualTo("chat");
            assertThat(attr(callSpan, GenAi.PROVIDER_NAME)).isEqualTo("script");
            assertThat(attr(callSpan, GenAi.REQUEST_MODEL)).isEqualTo("m");
            assertThat(attr(callSpan, GenAi.RESPONSE_MODEL)).isEqualTo("m-2025");
            assertThat(attr(callSpan, GenAi.RESPONSE_ID)).isEqualTo("resp-1");
            assertThat(attr(callSpan, GenAi.REQUEST_TEMPERATURE)).isEqualTo(0.25);
            assertThat(attr(callSpan, GenAi.REQUEST_MAX_TOKENS)).isEqualTo(64L);
            assertThat(attr(callSpan, GenAi.USAGE_INPUT_TOKENS)).isEqualTo(30L);
            assertThat(attr(callSpan, GenAi.USAGE_OUTPUT_TOKENS)).isEqualTo(12L);
            assertThat(attr(callSpan, GenAi.RESPONSE_FINISH_REASONS)).containsExactly("stop");
            assertThat(attr(callSpan, GenAi.DEPLOYMENT)).isEqualTo("greet");
            assertThat(attr(callSpan, GenAi.VARIANT)).isEqualTo("default");
            assertThat(attr(callSpan, GenAi.VERSION)).isEqualTo(sb.config().deployments().get("greet").version());
            assertThat(attr(callSpan, GenAi.CALL_ID)).isEqualTo(r.callId());
            assertThat(callSpan.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.system"))).isNull();
            assertThat(attempt.getParentSpanId()).isEqualTo(callSpan.getSpanId());
            assertThat(attempt.getTraceId()).isEqualTo(callSpan.getTraceId());
            assertThat(attr(attempt, GenAi.ATTEMPT_NUMBER)).isEqualTo(1L);
            assertThat(attr(attempt, GenAi.ATTEMPT_KIND)).isEqualTo("first");
            assertThat(attr(attempt, GenAi.ATTEMPT_OUTCOME)).isEqualTo("success");
            assertThat(attr(attempt, GenAi.PROVIDER)).isEqualTo("p");
        }
    }

    @Test
    void retriesAndFallbacksAreVisibleAsAttemptSpans() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).build()) {
            ScriptProvider.get("p").fail(503).fail(503);
            call(sb);
            SpanData callSpan = otel.span("chat m");
            List<SpanData> attempts = otel.spansStartingWith("attempt ");
            assertThat(attempts).extracting(SpanData::getName).containsExactly("attempt p/m", "attempt p/m", "attempt q/m2");
            assertThat(attempts).extracting(s -> attr(s, GenAi.ATTEMPT_KIND)).containsExactly("first", "retry", "fallback");
            assertThat(attempts).extracting(s -> attr(s, GenAi.ATTEMPT_NUMBER)).containsExactly(1L, 2L, 3L);
            assertThat(attempts).extracting(s -> attr(s, GenAi.ATTEMPT_OUTCOME)).containsExactly("failure", "failure", "success");
            assertThat(attempts).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(callSpan.getSpanId()));
            assertThat(attr(attempts.get(0), GenAi.ERROR_TYPE)).isEqualTo("503");
            assertThat(attr(attempts.get(0), GenAi.HTTP_STATUS)).isEqualTo(503L);
            assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(callSpan, GenAi.PROVIDER)).isEqualTo("q");
            assertThat(attr(callSpan, GenAi.RESPONSE_MODEL)).isEqualTo("m2-2025");
            assertThat(attr(callSpan, GenAi.ATTEMPTS)).isEqualTo(3L);
            assertThat(callSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }
    }

    @Test
    void aFailedCallCarriesErrorTypeAndErrorStatus() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).build()) {
            ScriptProvider.get("p").fail(400);
            ScriptProvider.get("q").fail(401);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(sb)).isInstanceOf(CompletionException.class);
            SpanData callSpan = otel.span("chat m");
            assertThat(callSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(callSpan, GenAi.ERROR_TYPE)).isEqualTo("401");
            assertThat(otel.span("attempt p/m").getAttributes().get(GenAi.ERROR_TYPE)).isEqualTo("400");
            assertThat(attr(otel.span("attempt q/m2"), GenAi.ATTEMPT_KIND)).isEqualTo("fallback");
        }
    }

    @Test
    void theCallSpanIsAChildOfTheCallersContext() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).build()) {
            Span server = otel.sdk.getTracer("gateway").spanBuilder("POST /v1/chat/completions").setSpanKind(SpanKind.SERVER).startSpan();
            try (Scope ignored = server.makeCurrent()) {
                call(sb);
            } finally {
                server.end();
            }
            SpanData callSpan = otel.span("chat m");
            assertThat(callSpan.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
            assertThat(callSpan.getTraceId()).isEqualTo(server.getSpanContext().getTraceId());
        }
    }

    @Test
    void messageContentsAreNotCapturedByDefault() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).build()) {
            call(sb);
            SpanData callSpan = otel.span("chat m");
            assertThat(attr(callSpan, GenAi.INPUT_MESSAGES)).isNull();
            assertThat(attr(callSpan, GenAi.OUTPUT_MESSAGES)).isNull();
            assertThat(callSpan.getEvents()).noneMatch(e -> e.getName().contains("message"));
        }
    }

    @Test
    void messageContentsAreCapturedWhenSwitchedOn() {
        try (Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk, TelemetryOptions.defaults().withCaptureContent(true)).build()) {
            ScriptProvider.get("p").reply("Hi Ann");
            call(sb);
            SpanData callSpan = otel.span("chat m");
            assertThat(attr(callSpan, GenAi.INPUT_MESSAGES)).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello Ann\"}]}]");
            assertThat(attr(callSpan, GenAi.OUTPUT_MESSAGES))
                    .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi Ann\"}],\"finish_reason\":\"stop\"}]");
        }
    }

    @Test
    void withoutOpenTelemetryNoSpansAreMade() {
        try (Switchboard sb = ScriptProvider.builder(YAML).build()) {
            call(sb);
        }
        assertThat(otel.spans()).isEmpty();
    }
}
