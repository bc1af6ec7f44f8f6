package dev.switchboard.gateway;

import static dev.switchboard.gateway.ReportingGateway.ADMIN;
import static dev.switchboard.gateway.ReportingGateway.CLIENT;
import static dev.switchboard.gateway.ReportingGateway.INGEST;
import static dev.switchboard.gateway.ReportingGateway.JSON;
import static dev.switchboard.gateway.ReportingGateway.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Completion;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.report.ReportSettings;
import dev.switchboard.runtime.report.Reporter;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration-management mode end to end: an application calls its provider (a {@link FakeLlmServer}) itself and
 * reports to a gateway started in-process; its calls show in the gateway's {@code /v1/logs} and {@code /v1/stats},
 * survive the gateway going away, and take feedback through the Java API and HTTP.
 */
class ReportingEndToEndTest {
    @TempDir
    Path spill;
    FakeLlmServer vendor;
    ReportingGateway gw;
    Switchboard app;
    Reporter reporter;

    @BeforeEach
    void start() {
        vendor = FakeLlmServer.start();
        vendor.setDefault(Reply.text("Your parcel is on its way"));
        gw = new ReportingGateway();
        app = Switchboard.builder().classpathConfig(null).systemProperties(new Properties()).environment(Map.of()).configYaml("""
                        providers:
                          vendor: { type: openai, base_url: "%s", api_key: "sk-app-secret-0123456789" }
                        deployments:
                          support: { model: vendor/gpt-4o-mini }
                        """.formatted(vendor.baseUrl()))
                .reportTo(ReportSettings.builder(URI.create(gw.baseUrl()), INGEST, "billing").instance("web-1").spillDir(spill)
                        .flushInterval(Duration.ofMillis(100)).backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build())
                .build();
        reporter = app.reporter().orElseThrow();
    }

    @AfterEach
    void stop() {
        try {
            app.close();
        } finally {
            try {
                gw.close();
            } finally {
                vendor.close();
            }
        }
    }

    List<String> ask(int n) {
        List<String> ids = new ArrayList<>();
        Support s = app.create(Support.class);
        for (int i = 0; i < n; i++) {
            Completion<String> c = s.ask("Where is parcel " + i + "?");
            assertThat(c.content()).isEqualTo("Your parcel is on its way");
            ids.add(c.callId());
        }
        return ids;
    }

    @Test
    void theApplicationsCallsShowInLogsAndStatsWithTheirOrigin() throws Exception {
        List<String> ids = ask(5);
        assertThat(eventually(() -> gw.ids("origin=billing/web-1").containsAll(ids))).isTrue();
        JsonNode r = gw.admin("/v1/logs/" + ids.get(0));
        assertThat(r.path("origin").asText()).isEqualTo("billing/web-1");
        assertThat(r.path("deployment").asText()).isEqualTo("support");
        assertThat(r.path("provider").asText()).isEqualTo("vendor");
        assertThat(r.path("status").asText()).isEqualTo("success");
        assertThat(r.has("request_messages")).as("contents are not reported by default").isFalse();
        JsonNode stats = gw.admin("/v1/stats?group_by=deployment");
        JsonNode support = null;
        for (JsonNode row : stats.path("data")) {
            if (row.path("group").asText().equals("support")) {
                support = row;
            }
        }
        assertThat(support).isNotNull();
        assertThat(support.path("requests").asLong()).isEqualTo(5);
        assertThat(reporter.droppedCount()).isZero();
    }

    @Test
    void withTheGatewayStoppedRecordsSpillToDiskAndArriveOnceEachAfterItReturns() throws Exception {
        List<String> ids = new ArrayList<>(ask(3));
        assertThat(eventually(() -> gw.ids("").size() == 3)).isTrue();
        gw.stop();
        ids.addAll(ask(10));
        assertThat(eventually(() -> reporter.spilledCount() == 10)).as("spilled while the gateway is away").isTrue();
        gw.restart();
        ids.addAll(ask(2));
        assertThat(eventually(() -> gw.ids("").size() >= 15)).isTrue();
        assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
        Map<String, Integer> counts = gw.counts("");
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids); // none lost
        assertThat(counts.values()).allMatch(n -> n == 1);                  // none twice
        assertThat(reporter.spilledCount()).isZero();
        assertThat(reporter.droppedCount()).isZero();
    }

    @Test
    void onlyIngestKeysMayIngestAndNothingIsStoredOtherwise() throws Exception {
        String batch = "[{\"id\": \"call_forged\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\"}]";
        for (String key : new String[]{null, "wrong-key", CLIENT, ADMIN}) {
            HttpResponse<String> r = gw.post("/v2/logs/ingest", batch, key);
            assertThat(r.statusCode()).as(String.valueOf(key)).isEqualTo(401);
            assertThat(r.body()).doesNotContain("wrong-key");
        }
        assertThat(gw.get("/v1/logs/call_forged", ADMIN).statusCode()).isEqualTo(404);
        assertThat(gw.post("/v2/logs/ingest", batch, INGEST).statusCode()).isEqualTo(200);
        assertThat(gw.admin("/v1/logs/call_forged").path("origin").asText()).isEqualTo("application");
    }

    @Test
    void anIngestKeyCanDoNothingElse() throws Exception {
        for (String path : new String[]{"/v1/logs", "/v1/stats", "/v1/models", "/metrics", "/v2/admin/deployments", "/v1/logs/x"}) {
            HttpResponse<String> r = gw.get(path, INGEST);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).at("/error/code").asText()).as(path).isEqualTo("ingest_key_only");
        }
        HttpResponse<String> chat = gw.post("/v1/chat/completions",
                "{\"model\": \"mock/m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", INGEST);
        assertThat(chat.statusCode()).isEqualTo(401);
        assertThat(gw.get("/health", INGEST).statusCode()).isEqualTo(200);
        assertThat(gw.get("/v1/models", CLIENT).statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchSentTwiceIsStoredOnceAndGzipIsAccepted() throws Exception {
        String batch = """
                {"records": [
                  {"id": "call_a", "started_at": "2025-08-15T10:00:00Z", "status": "success", "deployment": "support"},
                  {"id": "call_b", "started_at": "2025-08-15T10:00:01Z", "status": "error", "error_type": "503", "origin": "gateway"},
                  {"id": "call_c", "started_at": "2025-08-15T10:00:02Z", "status": "success", "origin": "shop/i-7"}]}""";
        Map<String, String> headers = Map.of("content-encoding", "gzip", "x-switchboard-app", "shop", "x-switchboard-instance", "i-9");
        HttpResponse<String> first = gw.post("/v2/logs/ingest", ReportingGateway.gzip(batch), INGEST, headers);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("stored").asInt()).isEqualTo(3);
        HttpResponse<String> again = gw.post("/v2/logs/ingest", ReportingGateway.gzip(batch), INGEST, headers);
        assertThat(JSON.readTree(again.body()).path("stored").asInt()).isZero();
        assertThat(JSON.readTree(again.body()).path("duplicates").asInt()).isEqualTo(3);
        assertThat(gw.counts("from=2025-08-15")).containsOnly(Map.entry("call_a", 1), Map.entry("call_b", 1), Map.entry("call_c", 1));
        assertThat(gw.admin("/v1/logs/call_a").path("origin").asText()).isEqualTo("shop/i-9");
        assertThat(gw.admin("/v1/logs/call_b").path("origin").asText()).as("an application cannot pose as the gateway").isEqualTo("shop/i-9");
        assertThat(gw.admin("/v1/logs/call_c").path("origin").asText()).isEqualTo("shop/i-7");
    }

    @Test
    void invalidRecordsAre400NamingIndexAndFieldAndNothingIsStored() throws Exception {
        String[][] cases = {
                {"[{\"id\": \"ok_1\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\"}, {\"id\": \"bad\", \"status\": \"success\"}]",
                        "records[1].started_at"},
                {"[{\"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\"}]", "records[0].id"},
                {"[{\"id\": \"x\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"maybe\"}]", "records[0].status"},
                {"[{\"id\": \"x\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\", \"input_tokens\": -1}]",
                        "records[0].input_tokens"},
                {"[{\"id\": \"" + "x".repeat(200) + "\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\"}]", "records[0].id"},
                {"[{\"id\": \"x\", \"started_at\": \"2025-08-15T10:00:00Z\", \"status\": \"success\", \"deployment\": \"" + "d".repeat(300) + "\"}]",
                        "records[0].deployment"},
                {"[1]", "records[0]"},
                {"{\"rows\": []}", "records"}};
        for (String[] c : cases) {
            HttpResponse<String> r = gw.post("/v2/logs/ingest", c[0], INGEST);
            assertThat(r.statusCode()).as(c[1]).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/error/param").asText()).as(r.body()).isEqualTo(c[1]);
        }
        assertThat(gw.get("/v1/logs/ok_1", ADMIN).statusCode()).isEqualTo(404);
        HttpResponse<String> brotli = gw.post("/v2/logs/ingest", "[]".getBytes(), INGEST, Map.of("content-encoding", "br"));
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(gw.get("/v2/logs/ingest", INGEST).statusCode()).isEqualTo(405);
    }

    @Test
    void feedbackThroughTheJavaApiAndHttpShowsInLogsAndStats() throws Exception {
        List<String> ids = ask(3);
        String good = ids.get(0);
        String bad = ids.get(1);
        String none = ids.get(2);
        app.feedback(good).thumbsUp().score(5).comment("spot on").tags("shipping").send();   // via report_to, ingest key
        HttpResponse<String> admin = gw.post("/v2/feedback", "{\"call_id\": \"" + bad + "\", \"thumbs\": \"down\", \"score\": 1,"
                + " \"comment\": \"wrong parcel\", \"tags\": [\"triage\"]}", ADMIN);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        HttpResponse<String> second = gw.post("/v2/feedback", "{\"call_id\": \"" + good + "\", \"score\": 4}", INGEST);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(eventually(() -> gw.ids("origin=billing/web-1").containsAll(ids))).isTrue();

        assertThat(gw.ids("feedback=up")).containsExactly(good);
        assertThat(gw.ids("feedback=down")).containsExactly(bad);
        assertThat(gw.ids("feedback=any")).containsExactlyInAnyOrder(good, bad);
        assertThat(gw.ids("feedback=none&origin=billing/web-1")).containsExactly(none);
        assertThat(gw.ids("min_score=4")).containsExactly(good);          // average 4.5
        assertThat(gw.ids("min_score=4.6")).isEmpty();
        JsonNode detail = gw.admin("/v1/logs/" + good);
        assertThat(detail.path("feedback")).hasSize(2);
        assertThat(detail.at("/feedback/0/source").asText()).isEqualTo("billing/web-1");
        assertThat(gw.admin("/v1/logs/" + bad).at("/feedback/0/source").asText()).isEqualTo("admin");

        JsonNode stats = gw.admin("/v1/stats");
        JsonNode fb = stats.path("feedback").get(0);
        assertThat(fb.path("deployment").asText()).isEqualTo("support");
        assertThat(fb.path("variant").asText()).isEqualTo("default");
        assertThat(fb.path("count").asLong()).isEqualTo(3);
        assertThat(fb.path("thumbs_up").asLong()).isEqualTo(1);
        assertThat(fb.path("thumbs_down").asLong()).isEqualTo(1);
        assertThat(fb.path("average_score").asDouble()).isEqualTo((5 + 1 + 4) / 3.0);

        HttpResponse<String> invalid = gw.post("/v2/feedback", "{\"call_id\": \"" + good + "\", \"thumbs\": \"sideways\"}", INGEST);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).at("/error/param").asText()).isEqualTo("thumbs");
        HttpResponse<String> empty = gw.post("/v2/feedback", "{\"call_id\": \"" + good + "\"}", INGEST);
        assertThat(JSON.readTree(empty.body()).at("/error/param").asText()).isEqualTo("score");
        assertThat(gw.post("/v2/feedback", "{\"call_id\": \"" + good + "\", \"score\": 1}", CLIENT).statusCode()).isEqualTo(401);
        assertThat(gw.get("/v1/logs?feedback=sideways", ADMIN).statusCode()).isEqualTo(400);
    }
}
