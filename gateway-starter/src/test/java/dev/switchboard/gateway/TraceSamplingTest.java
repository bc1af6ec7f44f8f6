package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With its own OpenTelemetry and no trace exporter, the gateway keeps the caller's sampling decision on the way to
 * the provider (a sampled {@code traceparent} stays sampled), and a request without one still starts an unsampled
 * trace whose context reaches the provider.
 */
class TraceSamplingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";
    private static final String CHAT = "{\"model\": \"fake/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}";

    @Test
    void theCallersSampledFlagReachesTheProviderAndAnUntracedRequestStaysUnsampled() throws Exception {
        try (GatewayFixture fx = GatewayFixture.start()) {
            fx.fake.enqueue(Reply.text("traced"), Reply.text("untraced"));
            HttpResponse<String> traced = fx.post("/v1/chat/completions", CHAT, Map.of("traceparent", "00-" + TRACE + "-" + PARENT + "-01"));
            assertThat(traced.statusCode()).as(traced.body()).isEqualTo(200);
            HttpResponse<String> untraced = fx.post("/v1/chat/completions", CHAT, Map.of());
            assertThat(untraced.statusCode()).as(untraced.body()).isEqualTo(200);

            RecordedRequest first = fx.fake.requests().get(0);
            assertThat(first.header("traceparent")).as("the provider continues the caller's sampled trace")
                    .matches("00-" + TRACE + "-[0-9a-f]{16}-01").doesNotContain(PARENT);
            RecordedRequest second = fx.fake.requests().get(1);
            String untracedParent = second.header("traceparent");
            assertThat(untracedParent).as("a request without traceparent starts a new trace")
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}").doesNotContain(TRACE);
            assertThat(Integer.parseInt(untracedParent.substring(53), 16) & 1).as("unsampled: " + untracedParent).isZero();
        }
    }
}
