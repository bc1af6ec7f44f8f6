package dev.switchboard.gateway;

import static dev.switchboard.gateway.LogsFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A call-log database that is down or slow neither fails nor slows calls: records queue up to the configured
 * capacity, the rest are dropped and counted, and {@code /metrics} shows the count.
 */
class LogStoreTroubleTest {
    private static final String CALL = "{\"model\": \"mock/echo\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

    @Test
    void aDatabaseThatIsDownCostsRecordsNotCalls() throws Exception {
        String yaml = "gateway:\n  drain_timeout: 1s\n  call_log:\n    url: \"jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1\"\n"
                + "    queue_capacity: 3\n";
        try (LogsFixture fx = LogsFixture.start(yaml)) {
            long total = callMany(fx, 40);
            assertThat(total).as("40 calls, ms").isLessThan(4_000); // each connection attempt alone takes up to 2 s
            // kept at most: the batch being retried (its first record and a drained queue) and a full queue
            assertThat(dropped(fx)).isGreaterThanOrEqualTo(40 - (1 + 3) - 3);
            HttpResponse<String> logs = fx.get("/v1/logs");
            assertThat(logs.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(logs.body()).at("/error/code").asText()).isEqualTo("call_log_unavailable");
        }
    }

    @Test
    void aSlowDatabaseDoesNotSlowCalls() throws Exception {
        String url = "jdbc:h2:mem:slow-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String yaml = "gateway:\n  drain_timeout: 1s\n  call_log:\n    url: \"" + url + "\"\n    queue_capacity: 5\n";
        try (LogsFixture fx = LogsFixture.start(yaml)) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TRIGGER sb_slow BEFORE INSERT ON sb_call_blocks FOR EACH ROW CALL \"" + SlowInsertTrigger.class.getName() + "\"");
            }
            long total = callMany(fx, 40);
            assertThat(total).as("40 calls, ms").isLessThan(8_000); // writing their records takes 12 s; loose for busy machines
            assertThat(dropped(fx)).isPositive();
            fx.flush();
            long kept = JSON.readTree(fx.get("/v1/logs?limit=200").body()).path("data").size();
            assertThat(kept + dropped(fx)).isEqualTo(40);
        }
    }

    /** Makes {@code n} calls one after the other; returns how long they took together, in ms. */
    private static long callMany(LogsFixture fx, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertThat(fx.post("/v1/chat/completions", CALL, Map.of()).statusCode()).isEqualTo(200);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long dropped(LogsFixture fx) throws Exception {
        Matcher m = Pattern.compile("(?m)^switchboard_calllog_dropped_total (\\d+)").matcher(fx.get("/metrics").body());
        assertThat(m.find()).as("dropped counter on /metrics").isTrue();
        return Long.parseLong(m.group(1));
    }
}
