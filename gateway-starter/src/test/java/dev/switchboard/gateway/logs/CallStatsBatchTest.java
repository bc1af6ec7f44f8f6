package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallStatsBatchTest {
    private static final long MINUTE_US = 60_000_000L;

    @Test
    void interleavedCallsLandInTheirOwnMinuteRowsAndAddUpIntoHoursAndDays() {
        CallStatsRollup.Batch b = new CallStatsRollup.Batch();
        long t0 = 1_764_000_000_000_000L - 1_764_000_000_000_000L % (24 * 60 * MINUTE_US); // a UTC midnight
        // runs of the same row (the batch's shortcut) broken by other deployments, models and minutes, and a name
        // equal to an earlier one but another string
        b.add(t0, "support", "openai", "gpt-4o", false, 100, 10, 1, new BigDecimal("0.001"));
        b.add(t0 + 1, "support", "openai", "gpt-4o", true, 300, 20, 2, null);
        b.add(t0 + 2, "greet", "openai", "gpt-4o", false, 50, 5, 5, new BigDecimal("0.002"));
        b.add(t0 + 3, new String("support"), "openai", "gpt-4o", false, 200, 30, 3, null);
        b.add(t0 + MINUTE_US, "support", "openai", "gpt-4o", false, 400, 40, 4, null);
        b.add(t0 + MINUTE_US + 1, "support", "openai", null, false, 10, 1, 1, null);
        b.add(t0 + MINUTE_US + 2, "support", "openai", null, false, 20, 1, 1, null);

        Map<String, CallStatsRollup.Row> rows = b.rows();
        CallStatsTotals first = totals(rows, CallStatsGrain.MINUTE, t0, "support", "gpt-4o");
        assertThat(first.requests).isEqualTo(3);
        assertThat(first.errors).isEqualTo(1);
        assertThat(first.inputTokens).isEqualTo(60);
        assertThat(first.costUsd).isEqualByComparingTo("0.001");
        assertThat(first.latency.percentile(0.5)).isEqualTo(200);
        assertThat(totals(rows, CallStatsGrain.MINUTE, t0 + MINUTE_US, "support", "gpt-4o").requests).isEqualTo(1);
        assertThat(totals(rows, CallStatsGrain.MINUTE, t0 + MINUTE_US, "support", null).requests).isEqualTo(2);
        assertThat(totals(rows, CallStatsGrain.MINUTE, t0, "greet", "gpt-4o").outputTokens).isEqualTo(5);
        assertThat(rows.values().stream().filter(r -> r.grain() == CallStatsGrain.MINUTE)).hasSize(4);

        CallStatsTotals hour = totals(rows, CallStatsGrain.HOUR, t0, "support", "gpt-4o");
        assertThat(hour.requests).isEqualTo(4);
        assertThat(hour.inputTokens).isEqualTo(100);
        assertThat(hour.latency.count()).isEqualTo(4);
        assertThat(totals(rows, CallStatsGrain.DAY, t0, "support", null).requests).isEqualTo(2);
        assertThat(rows.values().stream().mapToLong(r -> r.grain() == CallStatsGrain.DAY ? r.totals().requests : 0).sum())
                .isEqualTo(7);
    }

    private static CallStatsTotals totals(Map<String, CallStatsRollup.Row> rows, CallStatsGrain g, long us, String deployment,
                                          String model) {
        CallStatsRollup.Row row = rows.get(CallStatsRollup.key(g, g.floor(us), deployment, "openai", model));
        assertThat(row).as("%s row of %s/%s", g, deployment, model).isNotNull();
        return row.totals();
    }
}
