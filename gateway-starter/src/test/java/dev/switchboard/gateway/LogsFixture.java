package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * A gateway in front of a {@link FakeLlmServer} (the providers and deployments of {@link GatewayFixture}) with a
 * call log of its own: an H2 database in memory unless the gateway section names one. System properties do
 * not reach its configuration (the build's test-wide call-log URL does not apply).
 */
final class LogsFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final FakeLlmServer fake;
    final SwitchboardGateway gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LogsFixture(String gatewayYaml, OpenTelemetry otel) {
        fake = FakeLlmServer.start();
        String yaml = GatewayFixture.config(fake.baseUrl()) + gatewayYaml;
        GatewayOptions.Builder o = GatewayOptions.builder().port(0)
                .switchboard(Switchboard.builder().classpathConfig(null).systemProperties(new Properties()).environment(Map.of()).configYaml(yaml));
        if (otel != null) {
            o.openTelemetry(otel);
        }
        try {
            gateway = SwitchboardGateway.start(o.build());
        } catch (RuntimeException e) {
            fake.close();
            throw e;
        }
    }

    /**
     * A gateway section logging to a fresh SQLite file (the default store), plus {@code extra} lines (indented by two
     * spaces).
     */
    static String inMemory(String extra) {
        return "gateway:\n  drain_timeout: 2s\n  call_log:\n    url: \"" + TestCallLogs.sqliteUrl("logs") + "\"\n"
                + (extra == null ? "" : extra);
    }

    static LogsFixture start(String gatewayYaml) {
        return new LogsFixture(gatewayYaml, null);
    }

    static LogsFixture start(String gatewayYaml, OpenTelemetry otel) {
        return new LogsFixture(gatewayYaml, otel);
    }

    HttpResponse<String> post(String path, String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Map.of());
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " → " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * Waits until the call log has written what was queued. A call's record is queued as the call completes, a
     * moment after its client may have seen the answer: give the last one that moment first.
     */
    void flush() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!gateway.context().observability().callLog().writer().flush(Duration.ofSeconds(10))) {
            throw new AssertionError("the call log did not flush");
        }
    }

    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            fake.close();
        }
    }
}
