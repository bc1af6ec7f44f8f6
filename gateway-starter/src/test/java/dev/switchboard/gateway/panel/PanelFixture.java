package dev.switchboard.gateway.panel;

import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * A gateway for the panel's tests, started in-process (public API only) in front of a {@link FakeLlmServer}: providers
 * {@code fake} (OpenAI wire format, breaker off) and {@code mock}; deployments {@code support} (retries 503 three times)
 * and {@code greet}; an admin key, a files deployment store and a call log in its own H2 database. System properties
 * and the environment are not read, so the build's overrides do not apply.
 */
final class PanelFixture implements AutoCloseable {
    static final String ADMIN_KEY = "sk-panel-admin-0123456789abcdef";
    final FakeLlmServer fake;
    final SwitchboardGateway gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PanelFixture(Path storeDir, String callLogUrl) {
        fake = FakeLlmServer.start();
        String url = callLogUrl != null ? callLogUrl : dev.switchboard.gateway.TestCallLogs.sqliteUrl("panel");
        String yaml = """
                providers:
                  fake: { type: openai, base_url: "%1$s", api_key: "sk-panel-fake-0123456789", circuit_breaker: { enabled: false } }
                  mock: { type: mock, prefix: "echo: ", latency_ms: 0 }
                deployments:
                  support:
                    model: fake/gpt-4o-mini
                    messages:
                      - { role: system, content: "You answer for {{company}}. Be brief." }
                    retry: { count: 3, on_codes: [503], backoff: 10ms }
                  greet:
                    model: fake/gpt-4o-mini
                    messages:
                      - { role: system, content: "You are friendly." }
                      - { role: user, content: "Say hi to {{name}}." }
                gateway:
                  admin_keys: ["%2$s"]
                  deployment_store: { type: files, dir: "%3$s", poll_interval: 200ms }
                  call_log: { url: "%4$s", retention: "off" }
                """.formatted(fake.baseUrl(), hash(ADMIN_KEY), storeDir.toString().replace("\\", "/"), url);
        gateway = SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml)
                        .systemProperties(new Properties()).environment(Map.of()))
                .port(0).build());
    }

    static String hash(String key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return gateway.baseUrl() + path;
    }

    /** A JSON POST as a client application would send it (no key needed: no gateway.keys). */
    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the admin key. */
    HttpResponse<String> getAsAdmin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + ADMIN_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            gateway.close(Duration.ofSeconds(2));
        } finally {
            fake.close();
        }
    }
}
