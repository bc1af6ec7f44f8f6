package dev.switchboard.gateway;

import static dev.switchboard.gateway.LogsFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/stats}: requests, errors, latency percentiles, tokens and cost per group and time bucket. */
class StatsApiTest {

    @Test
    void aggregatesTheCallsOfTheRangeByGroupAndBucket() throws Exception {
        try (LogsFixture fx = LogsFixture.start(LogsFixture.inMemory(null))) {
            fx.fake.enqueue(Reply.text("one"), Reply.text("two"), Reply.text("three"), Reply.status(500), Reply.text("greet"));
            for (int i = 0; i < 4; i++) {
                fx.post("/v1/chat/completions", "{\"model\": \"support\", \"inputs\": {\"company\": \"ACME\"},"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"hello " + i + "\"}]}", Map.of());
            }
            assertThat(fx.post("/v2/deployments/invoke", "{\"key\": \"greet\", \"inputs\": {\"name\": \"Bo\"}}", Map.of()).statusCode()).isEqualTo(200);
            fx.flush();

            JsonNode stats = fx.json("/v1/stats?group_by=deployment&bucket=1d");
            assertThat(stats.path("object").asText()).isEqualTo("stats");
            assertThat(stats.path("bucket").asText()).isEqualTo("1d");
            JsonNode support = row(stats, "support");
            assertThat(support.path("requests").asLong()).isEqualTo(4);
            assertThat(support.path("errors").asLong()).isEqualTo(1);
            assertThat(support.path("error_rate").asDouble()).isEqualTo(0.25);
            assertThat(support.at("/latency_ms/p50").isNumber()).isTrue();
            assertThat(support.at("/latency_ms/p99").asDouble()).isGreaterThanOrEqualTo(support.at("/latency_ms/p50").asDouble());
            assertThat(support.path("input_tokens").asLong()).isPositive();
            assertThat(support.path("cost_usd").asDouble()).isPositive(); // gpt-4o-mini has a default price
            assertThat(support.path("bucket_start").asText()).endsWith("T00:00:00Z");
            assertThat(row(stats, "greet").path("requests").asLong()).isEqualTo(1);

            JsonNode byModel = fx.json("/v1/stats?group_by=model&bucket=1m");
            assertThat(byModel.path("data").findValuesAsText("group")).contains("gpt-4o-mini");
            JsonNode onlyGreet = fx.json("/v1/stats?group_by=provider&deployment=greet");
            assertThat(onlyGreet.path("data")).hasSize(1);
            assertThat(onlyGreet.at("/data/0/group").asText()).isEqualTo("fake");

            JsonNode empty = fx.json("/v1/stats?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");
            assertThat(empty.path("data")).isEmpty();
            for (String[] bad : new String[][]{{"?group_by=colour", "group_by"}, {"?bucket=5m", "bucket"},
                    {"?bucket=1m&from=2020-01-01&to=2021-01-01", "from"}, {"?from=2021-01-01&to=2020-01-01", "from"}}) {
                HttpResponse<String> r = fx.get("/v1/stats" + bad[0]);
                assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).at("/error/param").asText()).isEqualTo(bad[1]);
            }
        }
    }

    private static JsonNode row(JsonNode stats, String group) {
        for (JsonNode r : stats.path("data")) {
            if (r.path("group").asText().equals(group)) {
                return r;
            }
        }
        throw new AssertionError("no row for " + group + " in " + stats);
    }
}
