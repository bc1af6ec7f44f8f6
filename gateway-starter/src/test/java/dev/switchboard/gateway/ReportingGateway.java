package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.Switchboard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

/**
 * A gateway that applications report to: client, admin and ingest keys, and a call log in an in-memory H2 database
 * that outlives the gateway, so {@link #restart()} brings it back on the same port with the same log.
 */
final class ReportingGateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLIENT = "sb-client-key-1111";
    static final String ADMIN = "sb-admin-key-2222";
    static final String INGEST = "sb-ingest-key-3333";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String yaml;
    private volatile SwitchboardGateway gateway;
    private final int port;

    ReportingGateway() {
        yaml = """
                providers:
                  mock: { type: mock }
                gateway:
                  drain_timeout: 2s
                  keys: ["%s"]
                  admin_keys: ["%s"]
                  ingest_keys: ["%s"]
                  call_log:
                    url: "%s"
                """.formatted(ApiKeys.hash(CLIENT), ApiKeys.hash(ADMIN), ApiKeys.hash(INGEST), TestCallLogs.sqliteUrl("reports"));
        gateway = start(0);
        port = gateway.port();
    }

    private SwitchboardGateway start(int p) {
        return SwitchboardGateway.start(GatewayOptions.builder().port(p).switchboard(Switchboard.builder().classpathConfig(null)
                .systemProperties(new Properties()).environment(Map.of()).configYaml(yaml)).build());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the gateway (connections are refused until {@link #restart}). */
    void stop() {
        gateway.close();
    }

    /** Starts it again on the same port, with the same call log. */
    void restart() {
        gateway = start(port);
    }

    HttpResponse<String> post(String path, byte[] body, String key, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json, String key) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8), key, Map.of());
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} with the admin key, as JSON; fails unless 200. */
    JsonNode admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path, ADMIN);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " → " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The ids of every record {@code /v1/logs?<query>} finds, walking the pages. */
    List<String> ids(String query) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin("/v1/logs?limit=200" + (query.isEmpty() ? "" : "&" + query) + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("data").forEach(r -> out.add(r.path("id").asText()));
            cursor = page.path("has_more").asBoolean() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    /** How many times each id is in the log. */
    Map<String, Integer> counts(String query) throws IOException, InterruptedException {
        Map<String, Integer> c = new HashMap<>();
        ids(query).forEach(id -> c.merge(id, 1, Integer::sum));
        return c;
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Polls {@code condition} every 50 ms for up to 15 s. */
    static boolean eventually(Check condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.holds();
    }

    /** A condition that may do I/O. */
    interface Check {
        boolean holds() throws Exception;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
