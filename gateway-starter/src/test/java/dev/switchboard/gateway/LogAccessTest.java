package dev.switchboard.gateway;

import static dev.switchboard.gateway.LogsFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who reads the call log and the metrics: admin keys for the log, any key for the metrics, nobody but loopback without keys. */
class LogAccessTest {
    private static final String CLIENT = "sb-client-key-123";
    private static final String ADMIN = "sb-admin-key-456";

    @Test
    void withAdminKeysTheLogNeedsOne() throws Exception {
        String yaml = LogsFixture.inMemory("  keys: [\"" + ApiKeys.hash(CLIENT) + "\"]\n  admin_keys: [\"" + ApiKeys.hash(ADMIN) + "\"]\n");
        try (LogsFixture fx = LogsFixture.start(yaml)) {
            for (String path : new String[]{"/v1/logs", "/v1/logs/call_x", "/v1/stats"}) {
                assertThat(fx.get(path).statusCode()).as(path).isEqualTo(401);
                assertThat(code(fx.get(path, bearer(CLIENT)))).as(path).isEqualTo("invalid_api_key");
            }
            assertThat(fx.get("/v1/logs", bearer(ADMIN)).statusCode()).isEqualTo(200);
            assertThat(fx.get("/v1/stats", Map.of("x-api-key", ADMIN)).statusCode()).isEqualTo(200);
            assertThat(fx.get("/v1/logs/call_x", bearer(ADMIN)).statusCode()).isEqualTo(404);
            assertThat(fx.get("/metrics").statusCode()).isEqualTo(401);
            assertThat(fx.get("/metrics", bearer(CLIENT)).statusCode()).isEqualTo(200);
            assertThat(fx.get("/metrics", bearer(ADMIN)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withClientKeysOnlyTheLogIsClosed() throws Exception {
        try (LogsFixture fx = LogsFixture.start(LogsFixture.inMemory("  keys: [\"" + ApiKeys.hash(CLIENT) + "\"]\n"))) {
            HttpResponse<String> r = fx.get("/v1/logs", bearer(CLIENT));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(code(r)).isEqualTo("admin_disabled");
            assertThat(fx.get("/metrics", bearer(CLIENT)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnyKeyTheLoopbackGatewayIsOpen() throws Exception {
        try (LogsFixture fx = LogsFixture.start(LogsFixture.inMemory(null))) {
            assertThat(fx.get("/v1/logs").statusCode()).isEqualTo(200);
            assertThat(fx.get("/v1/stats").statusCode()).isEqualTo(200);
            assertThat(fx.get("/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withTheCallLogOffTheLogIs404() throws Exception {
        try (LogsFixture fx = LogsFixture.start("gateway:\n  call_log: { enabled: false }\n")) {
            assertThat(code(fx.get("/v1/logs"))).isEqualTo("call_log_disabled");
            assertThat(fx.get("/v1/stats").statusCode()).isEqualTo(404);
            assertThat(fx.get("/metrics").statusCode()).isEqualTo(200);
        }
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("authorization", "Bearer " + key);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/error/code").asText();
    }
}
