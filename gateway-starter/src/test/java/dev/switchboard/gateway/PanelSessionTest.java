package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The panel's static files and its session: cookie attributes, CSRF token and Origin checks, sign-out, switch-off. */
class PanelSessionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "sk-admin-panel-0123456789";
    @TempDir
    Path dir;
    private GatewayFixture fx;

    @BeforeEach
    void start() {
        fx = GatewayFixture.start("gateway:\n  keys: [\"" + ApiKeys.hash("client-key") + "\"]\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n"
                + "  deployment_store: { type: files, dir: \"" + dir.resolve("store") + "\", poll_interval: 200ms }\n");
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
            fx = null;
        }
    }

    private String origin() {
        return fx.gateway.baseUrl();
    }

    private HttpResponse<String> signIn(String key) throws Exception {
        return fx.post("/ui/api/session", "{\"key\":\"" + key + "\"}", Map.of("origin", origin()));
    }

    private static String cookie(HttpResponse<String> r) {
        String set = r.headers().firstValue("set-cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    @Test
    void staticFilesHaveTypesEtagsAndNoWayOut() throws Exception {
        HttpResponse<String> index = fx.get("/ui/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
        assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
        String etag = index.headers().firstValue("etag").orElseThrow();
        assertThat(fx.get("/ui/", Map.of("if-none-match", etag)).statusCode()).isEqualTo(304);
        assertThat(fx.get("/ui").statusCode()).isEqualTo(302);
        assertThat(fx.get("/ui/app.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(fx.get("/ui/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        HttpResponse<String> chart = fx.get("/ui/webjars/uplot/1.6.30/dist/uPlot.esm.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("cache-control").orElseThrow()).contains("immutable");
        for (String bad : new String[] {"/ui/../switchboard-default.yaml", "/ui/%2e%2e/switchboard-default.yaml", "/ui/pages/../app.js",
                "/ui/..%2fsimplelogger.properties", "/ui/pages", "/ui/pages/", "/ui/.hidden.js", "/ui/webjars/../../switchboard-default.yaml",
                "/ui/dev/switchboard/gateway/Panel.class", "/ui/nothing.js", "/ui/app.js%00.css", "/ui/a\\b.js"}) {
            HttpResponse<String> r = fx.get(bad.replace("\\", "%5C"));
            assertThat(r.statusCode()).as(bad).isIn(400, 404);
        }
        assertThat(fx.post("/ui/app.js", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void theAdminKeyBecomesAStrictHttpOnlyCookieWithACsrfToken() throws Exception {
        assertThat(signIn("wrong").statusCode()).isEqualTo(401);
        assertThat(signIn("client-key").statusCode()).isEqualTo(401);
        HttpResponse<String> r = signIn(ADMIN);
        assertThat(r.statusCode()).isEqualTo(201);
        String set = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(set).startsWith("sb_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(cookie(r).length()).isGreaterThanOrEqualTo("sb_session=".length() + 43); // 256 bits, base64url
        String csrf = JSON.readTree(r.body()).path("csrf_token").asText();
        assertThat(csrf).hasSizeGreaterThanOrEqualTo(43);
        assertThat(r.body()).doesNotContain(cookie(r).substring("sb_session=".length()));

        Map<String, String> withCookie = Map.of("cookie", cookie(r));
        JsonNode s = JSON.readTree(fx.get("/ui/api/session", withCookie).body());
        assertThat(s.path("authenticated").asBoolean()).isTrue();
        assertThat(s.path("csrf_token").asText()).isEqualTo(csrf);
        assertThat(JSON.readTree(fx.get("/ui/api/session").body()).path("authenticated").asBoolean()).isFalse();

        // reads need only the cookie: admin API and client endpoints alike
        assertThat(fx.get("/v2/admin/deployments", withCookie).statusCode()).isEqualTo(200);
        assertThat(fx.get("/v1/models", withCookie).statusCode()).isEqualTo(200);
        assertThat(fx.get("/v2/admin/deployments").statusCode()).isEqualTo(401);

        String publish = AdminDeploymentsApiTest.publishBody("Be warm.", "warmer");
        Map<String, String> noToken = new HashMap<>(withCookie);
        noToken.put("origin", origin());
        HttpResponse<String> refused = fx.post("/v2/admin/deployments/greet/versions", publish, noToken);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("csrf_token_invalid");
        Map<String, String> wrongToken = new HashMap<>(noToken);
        wrongToken.put("x-csrf-token", csrf.substring(1) + "x");
        assertThat(fx.post("/v2/admin/deployments/greet/versions", publish, wrongToken).statusCode()).isEqualTo(403);
        Map<String, String> otherOrigin = new HashMap<>(withCookie);
        otherOrigin.put("x-csrf-token", csrf);
        otherOrigin.put("origin", "http://evil.example");
        HttpResponse<String> cross = fx.post("/v2/admin/deployments/greet/versions", publish, otherOrigin);
        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(cross.body()).at("/error/code").asText()).isEqualTo("cross_origin");
        assertThat(fx.get("/v2/admin/deployments/greet", withCookie).statusCode()).as("nothing was published").isEqualTo(404);

        Map<String, String> good = new HashMap<>(noToken);
        good.put("x-csrf-token", csrf);
        assertThat(fx.post("/v2/admin/deployments/greet/versions", publish, good).statusCode()).isEqualTo(201);
        assertThat(fx.post("/v2/deployments/get_config", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}", good).statusCode()).isEqualTo(200);

        // sign-out needs the token too, then the cookie is dead
        assertThat(fx.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.gateway.baseUrl() + "/ui/api/session"))
                .DELETE().header("cookie", cookie(r)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpResponse<String> out = fx.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.gateway.baseUrl() + "/ui/api/session"))
                .DELETE().header("cookie", cookie(r)).header("x-csrf-token", csrf).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(fx.get("/v2/admin/deployments", withCookie).statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(fx.get("/ui/api/session", withCookie).body()).path("authenticated").asBoolean()).isFalse();
    }

    @Test
    void getConfigSaysWhichRulePickedTheVariant() throws Exception {
        String def = """
                {"definition": {"default_variant": "main",
                  "variants": {"main": {"model": "mock/a", "messages": [{"role": "user", "content": "hi"}]},
                               "eu": {"model": "mock/b", "messages": [{"role": "user", "content": "salut"}]}},
                  "routing": [{"name": "europe", "when": {"country": {"in": ["FR"]}}, "variant": "eu"}]}}""";
        assertThat(fx.post("/v2/admin/deployments/greet/versions", def, Map.of("authorization", "Bearer " + ADMIN)).statusCode()).isEqualTo(201);
        Map<String, String> client = Map.of("authorization", "Bearer client-key");
        assertThat(AdminDeploymentsApiTest.eventually(() -> JSON.readTree(fx.post("/v2/deployments/get_config",
                "{\"key\":\"greet\",\"context\":{\"country\":\"FR\"}}", client).body()).path("variant").asText().equals("eu"))).isTrue();
        JsonNode fr = JSON.readTree(fx.post("/v2/deployments/get_config", "{\"key\":\"greet\",\"context\":{\"country\":\"FR\"}}", client).body());
        assertThat(fr.at("/routing/variant").asText()).isEqualTo("eu");
        assertThat(fr.at("/routing/rule_index").asInt()).isZero();
        assertThat(fr.at("/routing/rule_name").asText()).isEqualTo("europe");
        assertThat(fr.at("/routing/reason").asText()).isEqualTo("rule 'europe' matched");
        JsonNode us = JSON.readTree(fx.post("/v2/deployments/get_config", "{\"key\":\"greet\",\"context\":{\"country\":\"US\"}}", client).body());
        assertThat(us.at("/routing/rule_index").asInt()).isEqualTo(-1);
        assertThat(us.at("/routing/reason").asText()).isEqualTo("no rule matched: default variant");
    }

    @Test
    void signInFromAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> r = fx.post("/ui/api/session", "{\"key\":\"" + ADMIN + "\"}", Map.of("origin", "http://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void thePanelCanBeSwitchedOff() throws Exception {
        stop(); // one gateway at a time on the tests' shared in-memory call log
        try (GatewayFixture off = GatewayFixture.start("gateway:\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n  panel: { enabled: false }\n")) {
            assertThat(off.get("/ui/").statusCode()).isEqualTo(404);
            assertThat(off.get("/ui/app.js").statusCode()).isEqualTo(404);
            assertThat(off.post("/ui/api/session", "{\"key\":\"" + ADMIN + "\"}").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void sessionsExpireWhenIdleAndEvictTheLeastRecentlyUsed() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2025-01-01T00:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public java.time.Clock withZone(java.time.ZoneId z) { return this; }
            public java.time.Instant instant() { return now.get(); }
        };
        PanelSessions sessions = new PanelSessions(java.time.Duration.ofMinutes(30), java.time.Duration.ofHours(12), 2, clock);
        PanelSessions.Session a = sessions.create();
        now.set(now.get().plusSeconds(29 * 60));
        assertThat(sessions.find(a.id())).isPresent();
        now.set(now.get().plusSeconds(29 * 60));
        assertThat(sessions.find(a.id())).as("used 29 min ago").isPresent();
        now.set(now.get().plusSeconds(31 * 60));
        assertThat(sessions.find(a.id())).isEmpty();
        PanelSessions.Session b = sessions.create();
        now.set(now.get().plusSeconds(1));
        PanelSessions.Session c = sessions.create();
        now.set(now.get().plusSeconds(1));
        sessions.find(b.id());
        now.set(now.get().plusSeconds(1));
        sessions.create();
        assertThat(sessions.find(c.id())).as("least recently used is evicted").isEmpty();
        assertThat(sessions.find(b.id())).isPresent();
        assertThat(b.csrfMatches(b.csrfToken())).isTrue();
        assertThat(b.csrfMatches(c.csrfToken())).isFalse();
        assertThat(sessions.find("x".repeat(500))).isEmpty();
    }
}
