package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test records: 30 calls a minute apart from 2025-08-15T10:00Z, spread over every filtered dimension. */
final class LogRecords {
    static final Instant T0 = Instant.parse("2025-08-15T10:00:00.123456789Z");

    private LogRecords() {
    }

    static List<CallRecord> thirty() {
        List<CallRecord> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add(record(i));
        }
        return out;
    }

    static CallRecord record(int i) {
        boolean error = i % 5 == 4;
        Instant start = T0.plusSeconds(60L * i);
        List<AttemptRecord> attempts = new ArrayList<>();
        if (i % 3 == 0) {
            attempts.add(new AttemptRecord("openai", "gpt-4o", "failure", 503, "upstream said 503", 40));
        }
        attempts.add(new AttemptRecord(i % 2 == 0 ? "openai" : "anthropic", i % 2 == 0 ? "gpt-4o" : "claude-3-5-haiku",
                error ? "failure" : "success", error ? 500 : 200, error ? "boom" : null, 100 + i));
        CallRecord.Builder b = CallRecord.builder(String.format("call_%02d", i))
                .traceId(i == 7 ? "4bf92f3577b34da6a3ce929d0e0e4736" : null).spanId(i == 7 ? "00f067aa0ba902b7" : null)
                .startedAt(start).endedAt(start.plusMillis(10L * i + 5)).origin(i < 25 ? "gateway" : "billing-service")
                .deployment(i < 18 ? "support" : "triage").variant(i % 4 == 0 ? "b" : "a").version("v" + (1 + i / 10))
                .streaming(i % 6 == 0).provider(i % 2 == 0 ? "openai" : "anthropic").model(i % 2 == 0 ? "gpt-4o" : "claude-3-5-haiku")
                .responseModel(i % 2 == 0 ? "gpt-4o-2024-08-06" : null).attempts(attempts)
                .status(error ? CallRecord.Status.ERROR : CallRecord.Status.SUCCESS)
                .latencyMs(10L * i + 5).timeToFirstTokenMs(i % 6 == 0 ? (long) i : null)
                .inputTokens(100 + i).outputTokens(error ? 0 : 20 + i).cachedTokens(i % 3 == 0 ? 50 : 0)
                .costUsd(error ? null : new BigDecimal("0.00" + (10 + i)))
                .context(Map.of("country", i % 2 == 0 ? "FR" : "DE"))
                .metadata(i % 3 == 0 ? Map.of("user", "u1", "ticket", "T-" + i) : Map.of("user", "u2"))
                .requestMessages(List.of(new MessageRecord("system", "You answer for ACME."),
                        new MessageRecord("user", i == 11 ? "Is 50% off_now valid?" : "Where is parcel " + i + "?")));
        if (error) {
            b.errorType("500").errorMessage("Provider Exploded at step " + i);
        } else {
            b.finishReason("stop").reply("Parcel " + i + " is on its way, SHIPPED today.");
        }
        return b.build();
    }
}
