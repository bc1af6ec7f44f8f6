package dev.switchboard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No request field can make the gateway call a host that is not in its configuration: model names that look
 * like URLs or paths, providers that are not configured, fallbacks of either kind, and base-URL or key fields
 * in the body are refused with a 4xx naming the field, and a bystander server (on another loopback port)
 * never sees a connection. The configured provider sees none of the refused calls either.
 */
class SecurityNoSsrfTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeLlmServer configured;
    private static FakeLlmServer bystander;
    private static SwitchboardGateway gw;

    @BeforeAll
    static void start() {
        configured = FakeLlmServer.start();
        bystander = FakeLlmServer.start();
        String yaml = """
                providers:
                  primary: { type: openai, base_url: "%s", api_key: k1, circuit_breaker: { enabled: false } }
                deployments:
                  support: { model: primary/m, messages: [{ role: system, content: "Help." }] }
                """.formatted(configured.baseUrl());
        gw = SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml)).port(0).build());
    }

    @AfterAll
    static void stop() {
        gw.close();
        configured.close();
        bystander.close();
    }

    @Test
    void noRequestFieldReachesAnUnconfiguredHost() throws Exception {
        String other = "127.0.0.1:" + bystander.port();
        String url = "http://" + other + "/v1";
        List<String[]> cases = new ArrayList<>(); // path, body, expected param
        for (String model : List.of(url, url + "/chat/completions", "http://" + other, "//" + other + "/v1/x", other + "/m",
                "bystander/m", "http://evil.example/x", "../../etc/passwd", "../primary/m", "primary", "/primary/m",
                "file:///etc/passwd", "primary@" + other + "/m", "http:/" + "/primary/m")) {
            cases.add(new String[] {"/v1/chat/completions", chat("\"model\":" + quote(model)), "model"});
            cases.add(new String[] {"/v1/embeddings", "{\"model\":" + quote(model) + ",\"input\":\"hi\"}", "model"});
        }
        for (String fallback : List.of(url, "bystander/m", "http://evil.example/x", other + "/m", "../x")) {
            cases.add(new String[] {"/v1/chat/completions", chat("\"model\":\"primary/m\",\"fallbacks\":[" + quote(fallback) + "]"),
                    "fallbacks[0]"});
            cases.add(new String[] {"/v2/deployments/invoke", "{\"key\":\"support\",\"fallbacks\":[" + quote(fallback) + "],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "fallbacks[0]"});
        }
        for (String field : List.of("base_url", "baseURL", "api_base", "api_url", "endpoint", "api_key", "apiKey")) {
            cases.add(new String[] {"/v1/chat/completions", chat("\"model\":\"primary/m\"," + quote(field) + ":" + quote(url)), field});
            cases.add(new String[] {"/v1/embeddings", "{\"model\":\"primary/m\",\"input\":\"hi\"," + quote(field) + ":" + quote(url) + "}",
                    field});
            cases.add(new String[] {"/v2/deployments/invoke", "{\"key\":\"support\"," + quote(field) + ":" + quote(url) + "}", field});
        }
        for (String[] c : cases) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + c[0])).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(c[1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s %s: %s", c[0], c[1], r.body()).isBetween(400, 499);
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertThat(error.path("param").asText()).as("%s %s: %s", c[0], c[1], r.body()).isEqualTo(c[2]);
        }
        assertThat(bystander.totalConnections()).as("the unconfigured host saw no connection").isZero();
        assertThat(configured.requestCount()).as("no refused call reached the configured provider").isZero();
    }

    private static String chat(String members) {
        return "{" + members + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }
}
