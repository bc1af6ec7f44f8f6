package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallRecordJsonTest {

    static CallRecord full() {
        Instant t0 = Instant.parse("2025-08-01T10:15:30.123Z");
        return CallRecord.builder("call_1").traceId("0af7651916cd43dd8448eb211c80319c").spanId("b7ad6b7169203331")
                .startedAt(t0).endedAt(t0.plusMillis(850)).origin("billing@host-1").deployment("support-bot.answer")
                .variant("default").version("v42").streaming(true).provider("backup").model("gpt-4o-mini")
                .responseModel("gpt-4o-mini-2024-07-18")
                .attempts(List.of(new AttemptRecord("primary", "gpt-4o", "failure", 503, "busy", 120),
                        new AttemptRecord("backup", "gpt-4o-mini", "success", 200, null, 700)))
                .status(CallRecord.Status.SUCCESS).finishReason("stop").latencyMs(850).timeToFirstTokenMs(310L)
                .inputTokens(120).outputTokens(40).cachedTokens(20).costUsd(new BigDecimal("0.0000435"))
                .context(Map.of("tier", "gold")).metadata(Map.of("user", "u-7"))
                .requestMessages(List.of(new MessageRecord("system", "Be brief."), new MessageRecord("user", "Hi")))
                .reply("Hello!").build();
    }

    @Test
    void aRecordWithAReplyLongerThanJacksonsDefaultStringCapComesBack() {
        String reply = "x".repeat(21_000_000); // Jackson reads at most 20,000,000 characters per string by default
        CallRecord r = CallRecord.builder("call_long").startedAt(Instant.parse("2025-08-15T10:00:00Z"))
                .endedAt(Instant.parse("2025-08-15T10:00:01Z")).status(CallRecord.Status.SUCCESS).reply(reply).build();
        String json = CallRecordJson.write(r);
        assertThat(CallRecordJson.read(json).reply()).hasSize(reply.length());
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CallRecordJson.read(bytes, 0, bytes.length).reply()).hasSize(reply.length());
    }

    @Test
    void instantsAreWrittenAsIsoInstantWritesThem() {
        java.util.Random random = new java.util.Random(11);
        List<Instant> samples = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2025-08-15T10:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("2025-01-01T00:00:00.001Z"),
                Instant.parse("2025-01-01T00:00:00.000001Z"), Instant.parse("9999-12-31T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.9Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 20_000; i++) {
            long sec = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            samples.add(Instant.ofEpochSecond(sec, nano));
        }
        for (Instant t : samples) {
            assertThat(CallRecordJson.iso(t)).as("%s", t).isEqualTo(java.time.format.DateTimeFormatter.ISO_INSTANT.format(t));
        }
    }

    @Test
    void aRecordRoundTripsThroughSnakeCaseJson() throws Exception {
        CallRecord r = full();
        String json = CallRecordJson.write(r);
        JsonNode tree = CallRecordJson.mapper().readTree(json);
        assertThat(tree.get("started_at").asText()).isEqualTo("2025-08-01T10:15:30.123Z");
        assertThat(tree.get("status").asText()).isEqualTo("success");
        assertThat(tree.get("time_to_first_token_ms").asLong()).isEqualTo(310);
        assertThat(tree.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000435");
        assertThat(tree.at("/attempts/0/latency_ms").asLong()).isEqualTo(120);
        assertThat(tree.at("/request_messages/1/content").asText()).isEqualTo("Hi");
        assertThat(tree.has("response_model")).isTrue();
        assertThat(tree.has("error_type")).isFalse();
        assertThat(CallRecordJson.read(json)).isEqualTo(r);
    }

    @Test
    void theStreamedFormIsWhatDataBindingWrites() throws Exception {
        CallRecord minimal = CallRecord.builder("call_3").startedAt(Instant.parse("2025-08-01T10:00:00.000001Z"))
                .status(CallRecord.Status.ERROR).errorType("503").errorMessage("busy \"quoted\"\n").costUsd(new BigDecimal("1E-7")).build();
        java.util.Map<String, String> withNull = new java.util.LinkedHashMap<>();
        withNull.put("a", null);
        withNull.put("b", "ü\u0001");
        for (CallRecord r : List.of(full(), minimal, full().toBuilder().metadata(withNull).requestMessages(List.of()).build())) {
            assertThat(CallRecordJson.write(r)).isEqualTo(CallRecordJson.mapper().writeValueAsString(r));
        }
    }

    @Test
    void readingIgnoresUnknownKeysAndFillsDefaults() {
        CallRecord r = CallRecordJson.read("""
                {"id":"call_2","started_at":"2025-08-01T10:00:00Z","status":"error","error_type":"503","future_field":1}
                """);
        assertThat(r.status()).isEqualTo(CallRecord.Status.ERROR);
        assertThat(r.endedAt()).isEqualTo(r.startedAt());
        assertThat(r.attempts()).isEmpty();
        assertThat(r.metadata()).isEmpty();
        assertThat(r.requestMessages()).isNull();
    }

    @Test
    void aRecordWithoutIdIsRejected() {
        assertThatThrownBy(() -> CallRecordJson.read("{\"started_at\":\"2025-08-01T10:00:00Z\",\"status\":\"success\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
