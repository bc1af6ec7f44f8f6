package dev.switchboard.gateway;

import static dev.switchboard.gateway.LogsFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Reply;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through the gateway land in its call log and are found with {@code GET /v1/logs}: with their attempts,
 * metadata, tokens and cost (from {@code gateway.prices}), by every filter, page after page.
 */
class LogApiTest {
    private static LogsFixture fx;
    private static String retriedId;
    private static String streamedId;
    private static String failedId;
    private static Instant before;

    @BeforeAll
    static void callThroughTheGateway() throws Exception {
        fx = LogsFixture.start(LogsFixture.inMemory("  prices:\n    gpt-4o-mini: { input: 1.00, output: 2.00 }\n"));
        before = Instant.now().minusSeconds(1);
        fx.fake.enqueue(Reply.status(503), Reply.text("Hi Ada, nice to meet you"));
        HttpResponse<String> greet = fx.post("/v2/deployments/invoke", """
                {"key": "greet", "inputs": {"name": "Ada"}, "metadata": {"ticket": "42", "team": "blue"}}""", Map.of());
        assertThat(greet.statusCode()).as(greet.body()).isEqualTo(200);
        retriedId = greet.headers().firstValue("x-switchboard-call-id").orElseThrow();

        fx.fake.enqueue(Reply.chunks("Your parcel ", "is SHIPPED"));
        HttpResponse<String> streamed = fx.post("/v1/chat/completions", """
                {"model": "support", "inputs": {"company": "ACME"}, "stream": true, "metadata": {"team": "red"},
                 "messages": [{"role": "user", "content": "Where is parcel 7? Mail me at ann@example.com"}]}""", Map.of());
        assertThat(streamed.statusCode()).isEqualTo(200);
        streamedId = streamed.headers().firstValue("x-switchboard-call-id").orElseThrow();

        fx.fake.enqueue(Reply.status(500).errorMessage("the upstream broke"));
        HttpResponse<String> failed = fx.post("/v1/chat/completions", """
                {"model": "fake/gpt-4o", "messages": [{"role": "user", "content": "fail please"}]}""", Map.of());
        assertThat(failed.statusCode()).isEqualTo(502);
        fx.flush();
        failedId = fx.json("/v1/logs?status=error").at("/data/0/id").asText();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @Test
    void aCallIsLoggedWithAttemptsMetadataTokensAndCost() throws Exception {
        JsonNode r = fx.json("/v1/logs/" + retriedId);
        assertThat(r.path("object").asText()).isEqualTo("call");
        assertThat(r.path("origin").asText()).isEqualTo("gateway");
        assertThat(r.path("deployment").asText()).isEqualTo("greet");
        assertThat(r.path("status").asText()).isEqualTo("success");
        assertThat(r.path("metadata")).isEqualTo(JSON.readTree("{\"ticket\": \"42\", \"team\": \"blue\"}"));
        assertThat(r.path("attempts")).hasSize(2);
        assertThat(r.at("/attempts/0/outcome").asText()).isEqualTo("failure");
        assertThat(r.at("/attempts/0/status").asInt()).isEqualTo(503);
        assertThat(r.at("/attempts/1/outcome").asText()).isEqualTo("success");
        assertThat(r.path("input_tokens").asLong()).isPositive();
        assertThat(r.path("output_tokens").asLong()).isPositive();
        double expected = (r.path("input_tokens").asLong() * 1.0 + r.path("output_tokens").asLong() * 2.0) / 1_000_000;
        assertThat(r.path("cost_usd").asDouble()).isEqualTo(expected);
        assertThat(r.path("reply").asText()).isEqualTo("Hi Ada, nice to meet you");
        assertThat(r.at("/request_messages/1/content").asText()).isEqualTo("Say hi to Ada.");
    }

    @Test
    void contentsAreRedactedAndStreamsLogged() throws Exception {
        JsonNode r = fx.json("/v1/logs/" + streamedId);
        assertThat(r.path("streaming").asBoolean()).isTrue();
        assertThat(r.path("reply").asText()).isEqualTo("Your parcel is SHIPPED");
        assertThat(r.at("/request_messages/1/content").asText()).isEqualTo("Where is parcel 7? Mail me at [EMAIL]");
        JsonNode failed = fx.json("/v1/logs/" + failedId);
        assertThat(failed.path("status").asText()).isEqualTo("error");
        assertThat(failed.path("error_type").asText()).isEqualTo("500");
        assertThat(failed.path("provider").asText()).isEqualTo("fake");
    }

    @Test
    void theListIsNewestFirstAndFiltered() throws Exception {
        assertThat(ids("")).containsExactly(failedId, streamedId, retriedId);
        JsonNode first = fx.json("/v1/logs").at("/data/2");
        assertThat(first.has("attempts")).isFalse();
        assertThat(first.has("request_messages")).isFalse();
        assertThat(first.path("attempt_count").asInt()).isEqualTo(2);
        assertThat(ids("?metadata.ticket=42")).containsExactly(retriedId);
        assertThat(ids("?metadata.team=red")).containsExactly(streamedId);
        assertThat(ids("?metadata.team=blue&metadata.ticket=41")).isEmpty();
        assertThat(ids("?status=error")).containsExactly(failedId);
        assertThat(ids("?deployment=greet&status=success")).containsExactly(retriedId);
        assertThat(ids("?variant=default&provider=fake")).contains(retriedId);
        assertThat(ids("?model=gpt-4o")).containsExactly(failedId);
        assertThat(ids("?q=shipped")).containsExactly(streamedId);
        assertThat(ids("?q=" + enc("hi ADA"))).containsExactly(retriedId);
        assertThat(ids("?min_latency_ms=0&origin=gateway")).hasSize(3);
        assertThat(ids("?from=" + enc(before.toString()) + "&to=" + enc(Instant.now().plusSeconds(60).toString()))).hasSize(3);
        assertThat(ids("?to=" + enc(before.toString()))).isEmpty();
        assertThat(ids("?from=2020-01-01")).hasSize(3);
    }

    @Test
    void pagesFollowTheCursor() throws Exception {
        List<String> walked = new ArrayList<>();
        JsonNode page = fx.json("/v1/logs?limit=2");
        page.path("data").forEach(r -> walked.add(r.path("id").asText()));
        assertThat(page.path("has_more").asBoolean()).isTrue();
        page = fx.json("/v1/logs?limit=2&cursor=" + page.path("next_cursor").asText());
        page.path("data").forEach(r -> walked.add(r.path("id").asText()));
        assertThat(page.path("has_more").asBoolean()).isFalse();
        assertThat(page.path("next_cursor").isNull()).isTrue();
        assertThat(walked).containsExactly(failedId, streamedId, retriedId);
    }

    @Test
    void badQueriesAre400NamingTheParameter() throws Exception {
        for (String[] c : List.of(new String[]{"?limit=500", "limit"}, new String[]{"?limit=x", "limit"}, new String[]{"?status=ok", "status"},
                new String[]{"?from=yesterday", "from"}, new String[]{"?cursor=abc", "cursor"}, new String[]{"?min_latency_ms=-1", "min_latency_ms"},
                new String[]{"?colour=red", "colour"})) {
            HttpResponse<String> r = fx.get("/v1/logs" + c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/error/param").asText()).as(c[0]).isEqualTo(c[1]);
        }
        HttpResponse<String> missing = fx.get("/v1/logs/call_nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("call_not_found");
        assertThat(fx.post("/v1/logs", "{}", Map.of()).statusCode()).isEqualTo(405);
    }

    private static List<String> ids(String query) throws Exception {
        List<String> out = new ArrayList<>();
        fx.json("/v1/logs" + query).path("data").forEach(r -> out.add(r.path("id").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
