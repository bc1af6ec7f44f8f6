package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment store through the admin API, the export endpoint and {@code /health}. */
class AdminDeploymentsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "sk-admin-0123456789";
    static final Map<String, String> AS_ADMIN = Map.of("authorization", "Bearer " + ADMIN);
    @TempDir
    Path dir;
    private GatewayFixture fx;

    @BeforeEach
    void start() {
        fx = GatewayFixture.start("gateway:\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n"
                + "  deployment_store: { type: files, dir: \"" + dir.resolve("store") + "\", poll_interval: 200ms }\n");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    static String publishBody(String content, String message) {
        return """
                {"author": "alice", "message": "%s", "definition": {
                   "model": "mock/echo-1",
                   "messages": [{"role": "system", "content": "%s"}, {"role": "user", "content": "Say hi to {{name}}."}]}}"""
                .formatted(message, content);
    }

    /** The version and system prompt {@code get_config} answers for deployment greet. */
    static String served(GatewayFixture fx) throws Exception {
        JsonNode c = JSON.readTree(fx.post("/v2/deployments/get_config", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}").body());
        return c.path("version").asText() + " " + c.at("/messages/0/content").asText();
    }

    static boolean eventually(Callable<Boolean> check) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (check.call()) {
                return true;
            }
            Thread.sleep(50);
        }
        return check.call();
    }

    @Test
    void publishServeListDiffAndRollBack() throws Exception {
        HttpResponse<String> r = fx.post("/v2/admin/deployments/greet/versions", publishBody("Be warm.", "warmer"), AS_ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode v1 = JSON.readTree(r.body());
        assertThat(v1.path("version").asText()).isEqualTo("v1");
        assertThat(v1.path("author").asText()).isEqualTo("alice");
        assertThat(v1.at("/definition/model").asText()).isEqualTo("mock/echo-1");
        assertThat(eventually(() -> served(fx).equals("v1 Be warm."))).isTrue();

        assertThat(fx.post("/v2/admin/deployments/greet/versions", publishBody("Be brief.", "briefer"), AS_ADMIN).statusCode()).isEqualTo(201);
        assertThat(eventually(() -> served(fx).equals("v2 Be brief."))).isTrue();
        JsonNode answer = JSON.readTree(fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}").body());
        assertThat(answer.path("version").asText()).isEqualTo("v2");
        assertThat(answer.path("text").asText()).isEqualTo("echo: Say hi to Ada.");

        JsonNode list = JSON.readTree(fx.get("/v2/admin/deployments", AS_ADMIN).body());
        assertThat(list.path("data")).hasSize(1);
        assertThat(list.at("/data/0/key").asText()).isEqualTo("greet");
        assertThat(list.at("/data/0/version").asText()).isEqualTo("v2");
        assertThat(list.at("/data/0/message").asText()).isEqualTo("briefer");

        JsonNode detail = JSON.readTree(fx.get("/v2/admin/deployments/greet", AS_ADMIN).body());
        assertThat(detail.at("/current/version").asText()).isEqualTo("v2");
        assertThat(detail.at("/current/definition/messages/0/content").asText()).isEqualTo("Be brief.");
        assertThat(detail.path("versions")).extracting(JsonNode::toString).hasSize(2);
        assertThat(JSON.readTree(fx.get("/v2/admin/deployments/greet/versions/v1", AS_ADMIN).body()).at("/definition/messages/0/content").asText())
                .isEqualTo("Be warm.");
        assertThat(JSON.readTree(fx.get("/v2/admin/deployments/greet/versions", AS_ADMIN).body()).path("data")).hasSize(2);

        JsonNode diff = JSON.readTree(fx.get("/v2/admin/deployments/greet/diff?from=1&to=2", AS_ADMIN).body());
        assertThat(diff.path("from").asText()).isEqualTo("v1");
        assertThat(diff.path("changes")).hasSize(1);
        assertThat(diff.at("/changes/0/path").asText()).isEqualTo("messages[0].content");
        assertThat(diff.at("/changes/0/kind").asText()).isEqualTo("changed");
        assertThat(diff.at("/changes/0/old").asText()).isEqualTo("Be warm.");
        assertThat(diff.at("/changes/0/new").asText()).isEqualTo("Be brief.");
        assertThat(JSON.readTree(fx.get("/v2/admin/deployments/greet/diff", AS_ADMIN).body()).path("to").asText()).isEqualTo("v2");

        HttpResponse<String> rb = fx.post("/v2/admin/deployments/greet/rollback", "{\"version\": \"v1\", \"author\": \"bob\"}", AS_ADMIN);
        assertThat(rb.statusCode()).as(rb.body()).isEqualTo(201);
        assertThat(JSON.readTree(rb.body()).path("version").asText()).isEqualTo("v3");
        assertThat(JSON.readTree(rb.body()).path("message").asText()).isEqualTo("rollback to v1");
        assertThat(eventually(() -> served(fx).equals("v3 Be warm."))).isTrue();

        JsonNode health = JSON.readTree(fx.get("/health").body());
        assertThat(health.at("/config/status").asText()).isEqualTo("loaded");
        assertThat(health.at("/config/deployment_versions/greet").asText()).isEqualTo("v3");
        assertThat(Files.exists(dir.resolve("store").resolve("greet").resolve("v0003.yaml"))).isTrue();
    }

    @Test
    void anInvalidDefinitionIs400NamingTheFieldAndNothingIsStored() throws Exception {
        HttpResponse<String> r = fx.post("/v2/admin/deployments/greet/versions",
                "{\"definition\": {\"variants\": {\"main\": {\"model\": \"nowhere/gpt-4o\"}}}}", AS_ADMIN);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("param").asText()).isEqualTo("definition.variants.main.model");
        assertThat(e.path("message").asText()).contains("provider 'nowhere' is not defined");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");

        HttpResponse<String> noDef = fx.post("/v2/admin/deployments/greet/versions", "{\"author\": \"x\"}", AS_ADMIN);
        assertThat(noDef.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noDef.body()).at("/error/param").asText()).isEqualTo("definition");
        HttpResponse<String> badKey = fx.post("/v2/admin/deployments/..bad/versions", publishBody("x", "y"), AS_ADMIN);
        assertThat(badKey.statusCode()).isEqualTo(400);

        assertThat(fx.get("/v2/admin/deployments/greet", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(fx.get("/v2/admin/deployments", AS_ADMIN).body()).path("data")).isEmpty();
        assertThat(fx.post("/v2/admin/deployments/greet/rollback", "{\"version\": 4}", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(fx.post("/v2/admin/deployments/greet/rollback", "{\"version\": \"latest\"}", AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(fx.get("/v2/admin/deployments/greet/unknown", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(fx.post("/v2/admin/deployments", "{}", AS_ADMIN).statusCode()).isEqualTo(405);
    }

    @Test
    void theAdminApiNeedsAnAdminKey() throws Exception {
        assertThat(fx.get("/v2/admin/deployments").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = fx.get("/v2/admin/deployments", Map.of("authorization", "Bearer client-key"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(fx.post("/v2/admin/deployments/greet/versions", publishBody("x", "y"), Map.of()).statusCode()).isEqualTo(401);
        assertThat(fx.get("/v2/admin/deployments", Map.of("x-api-key", ADMIN)).statusCode()).isEqualTo(200);
        try (GatewayFixture noAdmin = GatewayFixture.start()) {
            HttpResponse<String> off = noAdmin.get("/v2/admin/deployments", AS_ADMIN);
            assertThat(off.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(off.body()).at("/error/code").asText()).isEqualTo("admin_disabled");
            assertThat(JSON.readTree(noAdmin.get("/v2/deployments/export").body()).at("/error/code").asText()).isEqualTo("no_deployment_store");
        }
    }

    @Test
    void theExportHasAnETagAnswers304AndNeverCarriesCredentials() throws Exception {
        fx.post("/v2/admin/deployments/greet/versions", publishBody("Be warm.", "warmer"), AS_ADMIN);
        HttpResponse<String> r = fx.get("/v2/deployments/export");
        assertThat(r.statusCode()).isEqualTo(200);
        String etag = r.headers().firstValue("etag").orElseThrow();
        JsonNode export = JSON.readTree(r.body());
        assertThat(export.at("/deployments/greet/version").asText()).isEqualTo("v1");
        assertThat(export.at("/deployments/greet/definition/messages/0/content").asText()).isEqualTo("Be warm.");
        assertThat(r.body()).doesNotContain(GatewayFixture.FAKE_KEY).doesNotContain("providers").doesNotContain(fx.fake.baseUrl());

        HttpResponse<String> same = fx.get("/v2/deployments/export", Map.of("if-none-match", etag));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        fx.post("/v2/admin/deployments/greet/versions", publishBody("Be brief.", "briefer"), AS_ADMIN);
        HttpResponse<String> changed = fx.get("/v2/deployments/export", Map.of("if-none-match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("etag").orElseThrow()).isNotEqualTo(etag);
    }
}
