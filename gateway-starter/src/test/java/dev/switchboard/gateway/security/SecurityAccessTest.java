package dev.switchboard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With client keys configured, every endpoint but {@code /health*} needs a valid client key (known or not,
 * existing or not: nothing can be probed without one), and the admin endpoints need an admin key: a client
 * key is not enough. Keys are never echoed, and knowing a configured hash grants nothing.
 */
class SecurityAccessTest {
    private static final String CLIENT = "sb-client-key-1f2e3d4c5b6a";
    private static final String ADMIN = "sb-admin-key-9a8b7c6d5e4f";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static SwitchboardGateway gw;

    /** Every client endpoint the design names (some may not exist yet: they must still ask for a key). */
    private static final List<String[]> CLIENT_ENDPOINTS = List.of(
            new String[] {"POST", "/v1/chat/completions", "{\"model\":\"mock/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
            new String[] {"POST", "/v1/embeddings", "{\"model\":\"mock/m\",\"input\":\"hi\"}"},
            new String[] {"GET", "/v1/models", null},
            new String[] {"GET", "/v1/models/mock%2Fm", null},
            new String[] {"POST", "/v2/deployments/invoke", "{\"key\":\"hello\",\"inputs\":{\"name\":\"Ada\"}}"},
            new String[] {"POST", "/v2/deployments/get_config", "{\"key\":\"hello\",\"inputs\":{\"name\":\"Ada\"}}"},
            new String[] {"GET", "/v2/deployments/export", null},
            new String[] {"GET", "/metrics", null},
            new String[] {"GET", "/v1/no-such-endpoint", null},
            new String[] {"GET", "/", null},
            new String[] {"GET", "/health/../v1/models", null},
            new String[] {"DELETE", "/v1/chat/completions", null});

    /** Reporting endpoints: ingest keys (and admin keys for feedback), never a client key. */
    private static final List<String[]> REPORT_ENDPOINTS = List.of(
            new String[] {"POST", "/v2/logs/ingest", "[]"},
            new String[] {"POST", "/v2/feedback", "{}"});

    /** The admin API, and the call log (calls of every client: an admin key reads it when admin keys are configured). */
    private static final List<String[]> ADMIN_ENDPOINTS = List.of(
            new String[] {"GET", "/v1/logs", null},
            new String[] {"GET", "/v1/logs/call_0", null},
            new String[] {"GET", "/v1/stats", null},
            new String[] {"GET", "/v2/admin/deployments", null},
            new String[] {"GET", "/v2/admin/deployments/hello", null},
            new String[] {"GET", "/v2/admin/deployments/hello/versions", null},
            new String[] {"POST", "/v2/admin/deployments/hello/rollback", "{\"version\":1}"});

    @BeforeAll
    static void start() {
        String yaml = """
                providers:
                  mock: { type: mock, prefix: "echo: " }
                deployments:
                  hello:
                    model: mock/m
                    messages: [{ role: user, content: "Hello {{name}}" }]
                gateway:
                  keys: ["%s"]
                  admin_keys: ["%s"]
                """.formatted(hash(CLIENT), hash(ADMIN));
        gw = SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml)).port(0).build());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String hash(String key) throws IllegalStateException {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(String[] e, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + e[1])).timeout(Duration.ofSeconds(10))
                .method(e[0], e[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(e[2]));
        if (e[2] != null) {
            b.header("content-type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyEndpointButHealthNeedsAValidKey() throws Exception {
        List<Map<String, String>> bad = List.of(Map.of(), Map.of("authorization", "Bearer wrong-" + CLIENT),
                Map.of("authorization", "Bearer " + hash(CLIENT)), Map.of("x-api-key", CLIENT + " x"),
                Map.of("authorization", "Basic " + CLIENT), Map.of("authorization", "Bearer "));
        for (String[] e : concat(concat(CLIENT_ENDPOINTS, ADMIN_ENDPOINTS), REPORT_ENDPOINTS)) {
            for (Map<String, String> h : bad) {
                HttpResponse<String> r = send(e, h);
                assertThat(r.statusCode()).as("%s %s with %s: %s", e[0], e[1], h, r.body()).isEqualTo(401);
                assertThat(r.body()).contains("\"type\":\"authentication_error\"").doesNotContain(CLIENT);
            }
        }
    }

    @Test
    void theKeyInTheQueryStringIsNotAccepted() throws Exception {
        HttpResponse<String> r = send(new String[] {"GET", "/v1/models?api_key=" + CLIENT + "&key=" + CLIENT, null}, Map.of());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(CLIENT);
    }

    @Test
    void aValidClientKeyOpensTheClientEndpoints() throws Exception {
        for (Map<String, String> h : List.of(Map.of("authorization", "Bearer " + CLIENT), Map.of("x-api-key", CLIENT),
                Map.of("api-key", CLIENT), Map.of("authorization", "bearer " + CLIENT))) {
            for (String[] e : CLIENT_ENDPOINTS) {
                HttpResponse<String> r = send(e, h);
                assertThat(r.statusCode()).as("%s %s with %s: %s", e[0], e[1], h, r.body()).isNotIn(401, 403);
            }
            HttpResponse<String> chat = send(CLIENT_ENDPOINTS.get(0), h);
            assertThat(chat.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void reportEndpointsTakeNoClientKey() throws Exception {
        for (String[] e : REPORT_ENDPOINTS) {
            HttpResponse<String> client = send(e, Map.of("authorization", "Bearer " + CLIENT));
            assertThat(client.statusCode()).as("%s %s with the client key: %s", e[0], e[1], client.body()).isIn(401, 403);
        }
    }

    @Test
    void adminEndpointsNeedAnAdminKeyNotAClientKey() throws Exception {
        for (String[] e : ADMIN_ENDPOINTS) {
            HttpResponse<String> client = send(e, Map.of("authorization", "Bearer " + CLIENT));
            assertThat(client.statusCode()).as("%s %s with the client key: %s", e[0], e[1], client.body()).isIn(401, 403);
            HttpResponse<String> admin = send(e, Map.of("authorization", "Bearer " + ADMIN));
            assertThat(admin.statusCode()).as("%s %s with the admin key: %s", e[0], e[1], admin.body()).isNotIn(401, 403);
        }
    }

    @Test
    void healthNeedsNoKeyAndTellsNoSecret() throws Exception {
        for (String p : List.of("/health", "/health/live", "/health/ready")) {
            HttpResponse<String> r = send(new String[] {"GET", p, null}, Map.of());
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertThat(r.body()).doesNotContain(hash(CLIENT).substring(7)).doesNotContain(hash(ADMIN).substring(7));
        }
    }

    private static List<String[]> concat(List<String[]> a, List<String[]> b) {
        List<String[]> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
