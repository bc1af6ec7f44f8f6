package dev.switchboard.gateway;

import static dev.switchboard.gateway.AdminDeploymentsApiTest.AS_ADMIN;
import static dev.switchboard.gateway.AdminDeploymentsApiTest.JSON;
import static dev.switchboard.gateway.AdminDeploymentsApiTest.eventually;
import static dev.switchboard.gateway.AdminDeploymentsApiTest.publishBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway started from a file (hot reload, /health status) and two gateways sharing one PostgreSQL store. */
class DeploymentStoreGatewayTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    private static String gatewayYaml(String content, String store) {
        return """
                providers: { mock: { type: mock } }
                deployments:
                  greet:
                    messages: [ { role: system, content: "%s" }, { role: user, content: "Hi {{name}}" } ]
                    model: mock/echo-1
                gateway:
                  admin_keys: ["%s"]
                  drain_timeout: 1s
                %s""".formatted(content, ApiKeys.hash(AdminDeploymentsApiTest.ADMIN), store == null ? "" : "  deployment_store: " + store + "\n");
    }

    private static HttpResponse<String> send(SwitchboardGateway gw, String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String served(SwitchboardGateway gw) throws Exception {
        JsonNode c = JSON.readTree(send(gw, "POST", "/v2/deployments/get_config", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}", Map.of()).body());
        return c.path("version").asText() + " " + c.at("/messages/0/content").asText();
    }

    private static JsonNode health(SwitchboardGateway gw) throws Exception {
        return JSON.readTree(send(gw, "GET", "/health", null, Map.of()).body());
    }

    @Test
    void aGatewayStartedFromAFileReloadsItAndShowsARejectedEditInHealth() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, gatewayYaml("first", null));
        try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().config(file).port(0).build())) {
            assertThat(served(gw)).endsWith(" first");
            Files.writeString(file, gatewayYaml("second", null));
            assertThat(eventually(() -> served(gw).endsWith(" second"))).isTrue();

            Files.writeString(file, gatewayYaml("third", null).replace("model: mock/echo-1", "model: missing/echo-1"));
            assertThat(eventually(() -> health(gw).at("/config/status").asText().equals("error"))).isTrue();
            JsonNode h = health(gw);
            assertThat(h.at("/config/last_error").asText()).contains("deployments.greet.model").contains("provider 'missing' is not defined");
            assertThat(h.path("ready").asBoolean()).isTrue();
            assertThat(served(gw)).endsWith(" second");

            Files.writeString(file, gatewayYaml("fourth", null));
            assertThat(eventually(() -> served(gw).endsWith(" fourth"))).isTrue();
            assertThat(health(gw).at("/config/status").asText()).isEqualTo("loaded");
            assertThat(health(gw).at("/config/last_error").isNull()).isTrue();
        }
    }

    @Test
    void anInvalidStoreSectionFailsTheStartNamingTheKey() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, gatewayYaml("x", "{ type: s3, bucket: b }"));
        Assertions.assertThatThrownBy(() -> SwitchboardGateway.start(GatewayOptions.builder().config(file).port(0).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.deployment_store.type");
        Files.writeString(file, gatewayYaml("x", "{ type: files }"));
        Assertions.assertThatThrownBy(() -> SwitchboardGateway.start(GatewayOptions.builder().config(file).port(0).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.deployment_store.dir: is required");
    }

    @Test
    void twoGatewaysSharingOnePostgresServeWhatEitherPublishes() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String store = "{ type: jdbc, url: \"jdbc:postgresql://localhost:" + pg.getPort() + "/postgres\", user: postgres, poll_interval: 200ms }";
            Path fileA = dir.resolve("a.yaml");
            Path fileB = dir.resolve("b.yaml");
            Files.writeString(fileA, gatewayYaml("from file", store));
            Files.writeString(fileB, gatewayYaml("from file", store));
            try (SwitchboardGateway a = SwitchboardGateway.start(GatewayOptions.builder().config(fileA).port(0).build());
                 SwitchboardGateway b = SwitchboardGateway.start(GatewayOptions.builder().config(fileB).port(0).build())) {
                assertThat(served(b)).endsWith(" from file");
                HttpResponse<String> r = send(a, "POST", "/v2/admin/deployments/greet/versions", publishBody("Published on A.", "m"), AS_ADMIN);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                assertThat(eventually(() -> served(b).equals("v1 Published on A."))).isTrue();

                send(b, "POST", "/v2/admin/deployments/greet/versions", publishBody("Published on B.", "m"), AS_ADMIN);
                assertThat(eventually(() -> served(a).equals("v2 Published on B."))).isTrue();
                HttpResponse<String> rb = send(a, "POST", "/v2/admin/deployments/greet/rollback", "{\"version\": 1}", AS_ADMIN);
                assertThat(JSON.readTree(rb.body()).path("version").asText()).isEqualTo("v3");
                assertThat(eventually(() -> served(b).equals("v3 Published on A."))).isTrue();
                assertThat(JSON.readTree(send(b, "GET", "/v2/admin/deployments/greet/diff?from=v2&to=v3", null, AS_ADMIN).body())
                        .at("/changes/0/new").asText()).isEqualTo("Published on A.");
                assertThat(health(b).at("/config/deployment_versions/greet").asText()).isEqualTo("v3");
            }
        }
    }
}
