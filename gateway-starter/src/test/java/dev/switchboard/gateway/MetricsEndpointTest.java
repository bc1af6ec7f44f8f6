package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the engine's GenAI metrics, the call log's and the gateway's HTTP metrics in Prometheus text. */
class MetricsEndpointTest {

    @Test
    void servesPrometheusTextWithGenAiCallLogAndHttpMetrics() throws Exception {
        try (LogsFixture fx = LogsFixture.start(LogsFixture.inMemory(null))) {
            fx.fake.enqueue(Reply.text("hello there"));
            assertThat(fx.post("/v1/chat/completions", "{\"model\": \"fake/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                    Map.of()).statusCode()).isEqualTo(200);
            assertThat(fx.get("/v1/models/nope").statusCode()).isEqualTo(404);
            fx.flush();
            HttpResponse<String> r = fx.get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
            String text = r.body();
            assertThat(text).contains("# TYPE gen_ai_client_operation_duration_seconds histogram");
            assertThat(text).containsPattern("gen_ai_client_operation_duration_seconds_count\\{[^}]*gen_ai_request_model=\"gpt-4o-mini\"[^}]*} 1");
            assertThat(text).containsPattern("gen_ai_client_token_usage_count\\{[^}]*gen_ai_token_type=\"input\"");
            assertThat(text).contains("switchboard_calllog_dropped_total 0");
            assertThat(text).contains("switchboard_calllog_queue_size");
            assertThat(text).containsPattern("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"200\""
                    + "[^}]*http_route=\"/v1/chat/completions\"[^}]*} 1");
            assertThat(text).containsPattern("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"404\""
                    + "[^}]*http_route=\"/v1/models/\\{id}\"");
            assertThat(text).contains("http_server_active_requests");
        }
    }
}
