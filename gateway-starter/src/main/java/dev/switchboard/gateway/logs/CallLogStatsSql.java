package dev.switchboard.gateway.logs;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CallLogStatistics} from the pre-aggregated rows of {@link CallStatsRollup}: the range {@code [from, to)}
 * is covered by the coarsest whole buckets that fit in the query's bucket (days, hours, minutes) and, at its
 * ragged ends, by the calls themselves (less than a minute's: the narrow {@code sb_call_index} rows, on the embedded
 * databases the keys of {@link CallBlock}s), so the
 * answer counts exactly the calls started in the range. Requests, errors, tokens and cost are exact; latency
 * percentiles are {@code PERCENTILE_CONT} over the calls' latencies as {@link LatencyHistogram} keeps them
 * (exact below 2,048 ms, within 0.05% above). A 7-day query of hourly buckets reads about 170 rows per
 * (deployment, provider, model) instead of every call. Stateless and thread-safe.
 */
final class CallLogStatsSql {
    private CallLogStatsSql() {
    }

    private record Cell(long bucketUs, String group) {
    }

    static List<CallStatsRow> stats(Connection c, CallLogDialect dialect, CallStatsQuery q) throws SQLException {
        CallStatsGrain unit = CallStatsGrain.of(q.bucket());
        Map<Cell, CallStatsTotals> cells = new HashMap<>();
        cover(c, dialect, q, unit, unit.ordinal(), CallIndexRows.micros(q.from()), CallIndexRows.micros(q.to()), cells);
        List<Map.Entry<Cell, CallStatsTotals>> sorted = new ArrayList<>(cells.entrySet());
        sorted.sort(Map.Entry.comparingByKey(Comparator.comparingLong(Cell::bucketUs)
                .thenComparing(Cell::group, Comparator.nullsFirst(Comparator.naturalOrder()))));
        List<CallStatsRow> out = new ArrayList<>(sorted.size());
        for (Map.Entry<Cell, CallStatsTotals> e : sorted) {
            CallStatsTotals t = e.getValue();
            out.add(new CallStatsRow(e.getKey().group(), CallIndexRows.instant(e.getKey().bucketUs()), t.requests, t.errors,
                    t.latency.percentile(0.5), t.latency.percentile(0.95), t.latency.percentile(0.99), t.inputTokens, t.outputTokens,
                    t.costUsd.signum() == 0 ? BigDecimal.ZERO : t.costUsd.stripTrailingZeros()));
        }
        return out;
    }

    /** Adds the calls started in {@code [fromUs, toUs)} to {@code cells}, from rows of grains up to {@code maxGrain}. */
    private static void cover(Connection c, CallLogDialect dialect, CallStatsQuery q, CallStatsGrain unit, int maxGrain, long fromUs, long toUs,
                              Map<Cell, CallStatsTotals> cells) throws SQLException {
        if (fromUs >= toUs) {
            return;
        }
        for (int i = maxGrain; i >= 0; i--) {
            CallStatsGrain g = CallStatsGrain.values()[i];
            long a = g.ceil(fromUs);
            long b = g.floor(toUs);
            if (a < b) {
                cover(c, dialect, q, unit, i - 1, fromUs, a, cells);
                for (CallStatsRollup.Row r : CallStatsRollup.read(c, g, a, b, q.deployment(), q.provider(), q.model())) {
                    cell(cells, unit.floor(r.bucketUs()), group(q, r.deployment(), r.provider(), r.model())).merge(r.totals());
                }
                cover(c, dialect, q, unit, i - 1, b, toUs, cells);
                return;
            }
        }
        calls(c, dialect, q, unit, fromUs, toUs, cells);
    }

    /** Adds the calls themselves (less than a minute's worth at either end of the range). */
    private static void calls(Connection c, CallLogDialect dialect, CallStatsQuery q, CallStatsGrain unit, long fromUs, long toUs,
                              Map<Cell, CallStatsTotals> cells) throws SQLException {
        if (dialect.embedded()) {
            CallBlockSearch.calls(c, fromUs, toUs, q.deployment(), q.provider(), q.model(), (keys, i) ->
                    cell(cells, unit.floor(keys.startedUs[i]), group(q, keys.string(i, CallBlock.DEPLOYMENT),
                            keys.string(i, CallBlock.PROVIDER), keys.string(i, CallBlock.MODEL)))
                            .add(keys.error[i], keys.latencyMs[i], keys.inputTokens[i], keys.outputTokens[i], keys.cost(i)));
            return;
        }
        CallLogSearch.Where w = new CallLogSearch.Where();
        w.add("started_us >= ?", fromUs).add("started_us < ?", toUs)
                .eq("deployment", q.deployment()).eq("provider", q.provider()).eq("model", q.model());
        try (PreparedStatement p = c.prepareStatement("SELECT started_us, deployment, provider, model, status, latency_ms,"
                + " input_tokens, output_tokens, cost_usd FROM sb_call_index" + w.sql())) {
            w.bind(p);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    cell(cells, unit.floor(rs.getLong(1)), group(q, rs.getString(2), rs.getString(3), rs.getString(4)))
                            .add("error".equals(rs.getString(5)), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getBigDecimal(9));
                }
            }
        }
    }

    private static String group(CallStatsQuery q, String deployment, String provider, String model) {
        return switch (q.groupBy()) {
            case DEPLOYMENT -> deployment;
            case PROVIDER -> provider;
            case MODEL -> model;
        };
    }

    private static CallStatsTotals cell(Map<Cell, CallStatsTotals> cells, long bucketUs, String group) {
        return cells.computeIfAbsent(new Cell(bucketUs, group), k -> new CallStatsTotals());
    }
}
