package dev.switchboard.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway started in-process in front of a {@link FakeLlmServer}, with an OpenAI SDK client and a
 * plain HTTP client pointed at it. Providers {@code fake} and {@code backup} (type openai, breakers off),
 * {@code fragile} (breaker opens after one failure) and {@code mock}; deployments {@code support} and
 * {@code greet}.
 */
final class GatewayFixture implements AutoCloseable {
    static final String FAKE_KEY = "sk-test-secret-fake-0123456789";
    static final String BACKUP_KEY = "sk-test-secret-backup-9876543210";

    final FakeLlmServer fake;
    final SwitchboardGateway gateway;
    final OpenAIClient openai;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayFixture(String extraGatewayYaml) {
        fake = FakeLlmServer.start();
        String yaml = config(fake.baseUrl()) + (extraGatewayYaml == null ? "" : extraGatewayYaml);
        gateway = SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml))
                .port(0).build());
        openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("client-key")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    /** The fixture with the default gateway section. */
    static GatewayFixture start() {
        return new GatewayFixture("gateway:\n  max_body_bytes: 65536\n  drain_timeout: 5s\n");
    }

    /** The fixture with {@code gatewayYaml} as its whole {@code gateway:} section. */
    static GatewayFixture start(String gatewayYaml) {
        return new GatewayFixture(gatewayYaml);
    }

    static String config(String fakeBaseUrl) {
        return """
                providers:
                  fake:    { type: openai, base_url: "%1$s", api_key: "%2$s", circuit_breaker: { enabled: false } }
                  backup:  { type: openai, base_url: "%1$s", api_key: "%3$s", circuit_breaker: { enabled: false } }
                  fragile: { type: openai, base_url: "%1$s", api_key: "sk-fragile-key", circuit_breaker: { failure_threshold: 1, delay: 60s } }
                  mock:    { type: mock, prefix: "echo: ", latency_ms: 0 }
                deployments:
                  support:
                    model: fake/gpt-4o-mini
                    messages:
                      - { role: system, content: "You answer for {{company}}. Be brief." }
                    parameters: { temperature: 0.3 }
                  greet:
                    model: fake/gpt-4o-mini
                    messages:
                      - { role: system, content: "You are friendly." }
                      - { role: user, content: "Say hi to {{name}}." }
                    retry: { count: 2, on_codes: [503], backoff: 10ms }
                    fallbacks: [backup/gpt-4o]
                """.formatted(fakeBaseUrl, FAKE_KEY, BACKUP_KEY);
    }

    /** A JSON POST to the gateway. */
    HttpResponse<String> post(String path, String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, Map.of());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Map.of());
    }

    @Override
    public void close() {
        try {
            openai.close();
        } finally {
            try {
                gateway.close();
            } finally {
                fake.close();
            }
        }
    }
}
