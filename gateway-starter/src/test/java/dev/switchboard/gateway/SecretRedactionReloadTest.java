package dev.switchboard.gateway;

import static dev.switchboard.gateway.AdminDeploymentsApiTest.JSON;
import static dev.switchboard.gateway.AdminDeploymentsApiTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's redaction follows the configuration in force: after its file is reloaded with a rotated key, a
 * provider error that echoes the new key does not show it; {@code headers} values and a {@code direct_fallback}'s
 * {@code api_key} are masked as well.
 */
class SecretRedactionReloadTest {
    private static final String OLD_KEY = "sk-old-key-1f2e3d4c5b6a";
    private static final String NEW_KEY = "sk-rotated-key-9a8b7c6d5e4f";
    private static final String HEADER_SECRET = "hdr-secret-5566778899";
    private static final String FALLBACK_KEY = "sk-fallback-key-0a1b2c3d4e";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private static String yaml(String fakeBaseUrl, String key, String marker) {
        return """
                providers:
                  fake:
                    type: openai
                    base_url: "%1$s"
                    api_key: "%2$s"
                    circuit_breaker: { enabled: false }
                    headers: { api-key: "%3$s" }
                  relay:
                    type: gateway
                    base_url: "http://127.0.0.1:9"
                    direct_fallback: { type: openai, base_url: "%1$s", api_key: "%4$s" }
                deployments:
                  greet:
                    model: fake/m
                    messages: [ { role: system, content: "%5$s" } ]
                gateway: { drain_timeout: 1s }
                """.formatted(fakeBaseUrl, key, HEADER_SECRET, FALLBACK_KEY, marker);
    }

    private static HttpResponse<String> post(SwitchboardGateway gw, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String served(SwitchboardGateway gw) throws Exception {
        return JSON.readTree(post(gw, "/v2/deployments/get_config", "{\"key\":\"greet\"}").body()).at("/messages/0/content").asText();
    }

    @Test
    void aRotatedKeyAndNestedSecretsAreMaskedAfterAReload() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            Path file = dir.resolve("switchboard.yaml");
            Files.writeString(file, yaml(fake.baseUrl(), OLD_KEY, "first"));
            try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().config(file).port(0).build())) {
                assertThat(served(gw)).isEqualTo("first");
                Files.writeString(file, yaml(fake.baseUrl(), NEW_KEY, "second"));
                assertThat(eventually(() -> served(gw).equals("second"))).as("the edited file was reloaded").isTrue();

                fake.enqueue(Reply.status(400).errorMessage("rejected key " + NEW_KEY + " with header " + HEADER_SECRET
                        + " and fallback " + FALLBACK_KEY));
                HttpResponse<String> r = post(gw, "/v1/chat/completions", "{\"model\":\"fake/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(fake.requests().get(0).header("authorization")).as("the call used the rotated key").isEqualTo("Bearer " + NEW_KEY);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(r.body()).contains("rejected key ****").contains("header ****").contains("fallback ****")
                        .doesNotContain(NEW_KEY).doesNotContain(HEADER_SECRET).doesNotContain(FALLBACK_KEY);
            }
        }
    }
}
