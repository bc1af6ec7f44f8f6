package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import dev.switchboard.runtime.calllog.CallLogStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The live tail: {@code GET /v1/logs/stream} announces newly logged calls that match its filters. */
class LogTailTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "sk-admin-tail-0123456789";

    @Test
    void matchesTheFiltersOfTheLogSearch() {
        CallRecord r = CallRecord.builder("c1").startedAt(Instant.now()).status(CallRecord.Status.ERROR).deployment("support").variant("eu")
                .provider("fake").model("gpt-4o").latencyMs(900).metadata(Map.of("ticket", "42"))
                .requestMessages(List.of(new MessageRecord("user", "Where is my Parcel?"))).errorMessage("upstream said no").build();
        assertThat(CallLogFilter.all().matchesIgnoringTime(r)).isTrue();
        assertThat(CallLogFilter.all().withDeployment("support").withStatus(CallRecord.Status.ERROR).matchesIgnoringTime(r)).isTrue();
        assertThat(CallLogFilter.all().withDeployment("greet").matchesIgnoringTime(r)).isFalse();
        assertThat(CallLogFilter.all().withStatus(CallRecord.Status.SUCCESS).matchesIgnoringTime(r)).isFalse();
        assertThat(CallLogFilter.all().withText("PARCEL").matchesIgnoringTime(r)).isTrue();
        assertThat(CallLogFilter.all().withText("said no").matchesIgnoringTime(r)).isTrue();
        assertThat(CallLogFilter.all().withText("invoice").matchesIgnoringTime(r)).isFalse();
        assertThat(LogQueries.filter(Map.of("metadata.ticket", List.of("42"), "min_latency_ms", List.of("500"))).matchesIgnoringTime(r)).isTrue();
        assertThat(LogQueries.filter(Map.of("metadata.ticket", List.of("43"))).matchesIgnoringTime(r)).isFalse();
        assertThat(LogQueries.filter(Map.of("min_latency_ms", List.of("1000"))).matchesIgnoringTime(r)).isFalse();
        assertThat(LogQueries.filter(Map.of("variant", List.of("eu"), "model", List.of("gpt-4o"))).matchesIgnoringTime(r)).isTrue();
    }

    @Test
    void newCallsMatchingTheFiltersArriveAsEvents() throws Exception {
        try (GatewayFixture fx = GatewayFixture.start("gateway:\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n  drain_timeout: 5s\n")) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(fx.gateway.baseUrl() + "/v1/logs/stream?deployment=greet&metadata.ticket=T-9"))
                    .header("authorization", "Bearer " + ADMIN).GET().build();
            assertThat(fx.get("/v1/logs/stream").statusCode()).as("needs the admin key").isEqualTo(401);
            HttpResponse<java.io.InputStream> stream = fx.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("data: {\"type\":\"ping\"}");
            CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data: {") && !line.contains("\"ping\"")) {
                            return JSON.readTree(line.substring(6));
                        }
                    }
                    return null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // not announced: another deployment, and the right deployment without the metadata
            assertThat(fx.post("/v2/deployments/invoke", "{\"key\":\"support\",\"inputs\":{\"company\":\"A\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"metadata\":{\"ticket\":\"T-9\"}}").statusCode()).isEqualTo(200);
            assertThat(fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Al\"}}").statusCode()).isEqualTo(200);
            HttpResponse<String> wanted = fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Bo\"},\"metadata\":{\"ticket\":\"T-9\"}}");
            assertThat(wanted.statusCode()).isEqualTo(200);
            JsonNode event = first.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(event.path("id").asText()).isEqualTo(JSON.readTree(wanted.body()).path("call_id").asText());
            assertThat(event.path("deployment").asText()).isEqualTo("greet");
            assertThat(event.has("request_messages")).as("a summary, as /v1/logs lists").isFalse();
            assertThat(fx.get("/v1/logs/" + event.path("id").asText(), Map.of("authorization", "Bearer " + ADMIN)).statusCode())
                    .as("already searchable").isEqualTo(200);
            stream.body().close();
        }
    }

    @Test
    void drainingEndsTheStreams() throws Exception {
        GatewayFixture fx = GatewayFixture.start("gateway:\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n  drain_timeout: 10s\n");
        HttpResponse<java.io.InputStream> stream = fx.http.send(HttpRequest.newBuilder(URI.create(fx.gateway.baseUrl() + "/v1/logs/stream"))
                .header("authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        long t0 = System.nanoTime();
        fx.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the tail does not hold the drain").isLessThan(Duration.ofSeconds(5));
        String rest = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(rest).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aClientThatSubscribesWhileABatchGathersWithoutItsRecordsGetsItsStreamOnceThatBatchIsWritten() throws Exception {
        List<String> stored = new ArrayList<>();
        CallLogStore store = new CallLogStore() {
            @Override
            public void write(List<CallRecord> records) {
                records.forEach(r -> stored.add(r.id()));
            }
        };
        LogTail tail = new LogTail();
        CallLogStore tailed = tail.wrap(store);
        EmbeddedChannel ch = new EmbeddedChannel();
        Exchange ex = new Exchange(ch, null, HttpMethod.GET, "/v1/logs/stream", Map.of(), new DefaultHttpHeaders(), new byte[0],
                HttpVersion.HTTP_1_1, true, () -> { });
        try {
            CallLogStore.Batch first = tailed.newBatch(); // no subscriber yet: its records are not kept for the tail
            first.add(call("c1"));
            tail.subscribe(ex, r -> true, () -> false);
            assertThat(tail.size()).isEqualTo(1);
            first.add(call("c2"));
            assertThat(written(ch)).as("no stream while calls it will not be told of are unwritten").isEmpty();
            first.write();
            assertThat(stored).containsExactly("c1", "c2");
            assertThat(written(ch)).isEmpty();
            first.close();
            assertThat(written(ch)).containsExactly("head", "data: {\"type\":\"ping\"}\n\n");
            try (CallLogStore.Batch second = tailed.newBatch()) { // kept: there is a subscriber now
                second.add(call("c3"));
                second.write();
            }
            assertThat(written(ch)).singleElement().asString().startsWith("data: {").contains("\"id\":\"c3\"");
        } finally {
            tail.close();
        }
        assertThat(written(ch)).last().asString().endsWith("data: [DONE]\n\n");
    }

    private static CallRecord call(String id) {
        return CallRecord.builder(id).startedAt(Instant.now()).status(CallRecord.Status.SUCCESS).deployment("greet").build();
    }

    /** What was written to {@code ch} since the last look: "head" for the response head, else the chunk's text. */
    private static List<String> written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<String> out = new ArrayList<>();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            if (m instanceof io.netty.handler.codec.http.HttpResponse) {
                out.add("head");
            }
            if (m instanceof HttpContent c) {
                if (c.content().isReadable()) {
                    out.add(c.content().toString(StandardCharsets.UTF_8));
                }
                c.release();
            }
        }
        return out;
    }
}
