package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pre-aggregated statistics: the table {@code sb_call_stats}, one row per {@link CallStatsGrain grain} (minute,
 * hour, UTC day), bucket and (deployment, provider, model), holding requests, errors, token and cost sums and a
 * {@link LatencyHistogram}. The writer adds a batch's calls in the batch's own transaction: the rows the batch
 * touches are read under a row lock ({@code FOR UPDATE}), added to and written back once per batch, so the
 * cost per call is a few map updates, not a statement. {@link CallLogStatsSql} answers {@code /v1/stats} from
 * these rows. Stateless and thread-safe.
 */
final class CallStatsRollup {
    /** The table and its index (both dialects). */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE IF NOT EXISTS sb_call_stats (stats_key {STR} NOT NULL PRIMARY KEY, grain {STR} NOT NULL,"
                    + " bucket_us BIGINT NOT NULL, deployment {STR}, provider {STR}, model {STR}, requests BIGINT NOT NULL,"
                    + " errors BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,"
                    + " cost_usd DECIMAL(30, 12) NOT NULL, latency {TEXT} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sb_call_stats_bucket ON sb_call_stats (grain, bucket_us)");
    private static final int LOCK_CHUNK = 64;

    private CallStatsRollup() {
    }

    /** One row's identity and totals. */
    record Row(CallStatsGrain grain, long bucketUs, String deployment, String provider, String model, CallStatsTotals totals) {
    }

    /** Rows being added up. Not thread-safe. */
    static final class Batch {
        private final Map<RowId, Row> byId = new LinkedHashMap<>();
        /** The row the last call went to: consecutive calls mostly share one (the same minute, deployment and model). */
        private Row last;

        /** A row's identity while a batch adds up (its string key is built once per row, see {@link #rows()}). */
        private record RowId(CallStatsGrain grain, long bucketUs, String deployment, String provider, String model) {
        }

        /**
         * Counts one call in its minute's row; {@link #rows} adds the minutes up into hours and days (a batch's calls
         * fall in few minutes, so that is a few merges per batch instead of three rows touched per call).
         */
        void add(long startedUs, String deployment, String provider, String model, boolean error, long latencyMs, long input,
                 long output, BigDecimal cost) {
            CallStatsGrain g = CallStatsGrain.MINUTE;
            long bucket = g.floor(startedUs);
            Row row = last;
            if (row == null || row.bucketUs() != bucket || !Objects.equals(row.deployment(), deployment)
                    || !Objects.equals(row.provider(), provider) || !Objects.equals(row.model(), model)) {
                row = byId.computeIfAbsent(new RowId(g, bucket, deployment, provider, model),
                        k -> new Row(g, bucket, deployment, provider, model, new CallStatsTotals()));
                last = row;
            }
            row.totals().add(error, latencyMs, input, output, cost);
        }

        /** The rows of every grain by their stored key ({@link #key}), built anew on each call. */
        Map<String, Row> rows() {
            Map<String, Row> rows = new LinkedHashMap<>();
            for (Row minute : byId.values()) {
                rows.put(key(minute.grain(), minute.bucketUs(), minute.deployment(), minute.provider(), minute.model()), minute);
            }
            for (CallStatsGrain g : CallStatsGrain.values()) {
                if (g == CallStatsGrain.MINUTE) {
                    continue;
                }
                for (Row minute : byId.values()) {
                    long bucket = g.floor(minute.bucketUs());
                    rows.computeIfAbsent(key(g, bucket, minute.deployment(), minute.provider(), minute.model()),
                            k -> new Row(g, bucket, minute.deployment(), minute.provider(), minute.model(), new CallStatsTotals()))
                            .totals().merge(minute.totals());
                }
            }
            return rows;
        }

        /** Counts a call record. */
        void add(CallRecord r) {
            add(CallIndexRows.micros(r.startedAt()), CallLogRows.cut(r.deployment(), CallLogRows.SHORT),
                    CallLogRows.cut(r.provider(), CallLogRows.SHORT), CallLogRows.cut(r.model(), CallLogRows.SHORT),
                    r.status() == CallRecord.Status.ERROR, r.latencyMs(), r.inputTokens(), r.outputTokens(), r.costUsd());
        }

        boolean isEmpty() {
            return byId.isEmpty();
        }
    }

    /** The primary key of a row: grain, bucket and the three names, each length-prefixed (so no two rows share one). */
    static String key(CallStatsGrain g, long bucketUs, String deployment, String provider, String model) {
        StringBuilder sb = new StringBuilder(64).append(g.code()).append(':').append(bucketUs);
        for (String s : new String[] {deployment, provider, model}) {
            sb.append(':');
            if (s == null) {
                sb.append('-');
            } else {
                sb.append(s.length()).append('=').append(s);
            }
        }
        return sb.toString();
    }

    /**
     * Adds {@code records} (new calls) to their rows, in the caller's transaction; returns the rows' new totals,
     * for {@link Recent#remember} once the transaction has committed.
     */
    static Map<String, CallStatsTotals> add(Connection c, CallLogDialect dialect, List<CallRecord> records, Recent recent)
            throws SQLException {
        Batch b = new Batch();
        for (CallRecord r : records) {
            b.add(r);
        }
        return write(c, dialect, b, recent);
    }

    /**
     * The totals of rows this process wrote last, by key: a row whose stored request count is the remembered one
     * has not changed since, so its histogram need not be read back and decoded. Bounded (least recently used
     * rows are forgotten). Thread-safe.
     */
    static final class Recent {
        private final Map<String, CallStatsTotals> rows;

        Recent(int capacity) {
            rows = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CallStatsTotals> eldest) {
                    return size() > capacity;
                }
            });
        }

        /** Remembers committed totals (not to be changed afterwards). */
        void remember(Map<String, CallStatsTotals> written) {
            rows.putAll(written);
        }

        /**
         * The remembered totals of {@code key} when they hold {@code requests} calls; else null. Shared, not a copy:
         * never to be changed (add to them with {@link CallStatsTotals#plus}).
         */
        CallStatsTotals get(String key, long requests) {
            CallStatsTotals t = rows.get(key);
            return t == null || t.requests != requests ? null : t;
        }
    }

    /**
     * Adds the batch's totals to the stored rows, creating the missing ones; locks the existing rows until commit.
     * Returns the written totals by key.
     */
    static Map<String, CallStatsTotals> write(Connection c, CallLogDialect dialect, Batch b, Recent recent) throws SQLException {
        Map<String, CallStatsTotals> written = new HashMap<>();
        if (b.isEmpty()) {
            return written;
        }
        Map<String, Row> rows = b.rows();
        List<String> keys = new ArrayList<>(rows.keySet());
        Map<String, CallStatsTotals> stored = new HashMap<>();
        String marks = "?" + ", ?".repeat(LOCK_CHUNK - 1);
        List<String> unknown = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT stats_key, requests FROM sb_call_stats WHERE stats_key IN (" + marks
                + ")" + dialect.forUpdate())) {
            for (int from = 0; from < keys.size(); from += LOCK_CHUNK) {
                for (int i = 0; i < LOCK_CHUNK; i++) { // a short last chunk repeats its last key: one statement text
                    q.setString(i + 1, keys.get(Math.min(from + i, keys.size() - 1)));
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        CallStatsTotals known = recent == null ? null : recent.get(key, rs.getLong(2));
                        if (known != null) {
                            stored.put(key, known);
                        } else if (!stored.containsKey(key)) {
                            unknown.add(key);
                        }
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement("SELECT requests, errors, input_tokens, output_tokens, cost_usd, latency"
                    + " FROM sb_call_stats WHERE stats_key = ?")) {
                for (String key : unknown) {
                    q.setString(1, key);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            stored.put(key, totals(rs, 1));
                        }
                    }
                }
            }
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE sb_call_stats SET requests = ?, errors = ?, input_tokens = ?,"
                + " output_tokens = ?, cost_usd = ?, latency = ? WHERE stats_key = ?");
             PreparedStatement in = c.prepareStatement("INSERT INTO sb_call_stats (requests, errors, input_tokens, output_tokens,"
                     + " cost_usd, latency, stats_key, grain, bucket_us, deployment, provider, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                Row row = e.getValue();
                CallStatsTotals t = row.totals();
                CallStatsTotals old = stored.get(e.getKey());
                PreparedStatement p = old == null ? in : up;
                if (old != null) {
                    t = old.plus(t); // old may be remembered totals, shared: left as they are
                }
                written.put(e.getKey(), t);
                p.setLong(1, t.requests);
                p.setLong(2, t.errors);
                p.setLong(3, t.inputTokens);
                p.setLong(4, t.outputTokens);
                p.setBigDecimal(5, t.costUsd);
                p.setString(6, t.latency.encode());
                p.setString(7, e.getKey());
                if (old == null) {
                    p.setString(8, row.grain().code());
                    p.setLong(9, row.bucketUs());
                    p.setString(10, row.deployment());
                    p.setString(11, row.provider());
                    p.setString(12, row.model());
                    inserts = true;
                } else {
                    updates = true;
                }
                p.addBatch();
            }
            if (updates) {
                up.executeBatch();
            }
            if (inserts) {
                in.executeBatch();
            }
        }
        return written;
    }

    private static CallStatsTotals totals(ResultSet rs, int first) throws SQLException {
        CallStatsTotals t = new CallStatsTotals();
        t.requests = rs.getLong(first);
        t.errors = rs.getLong(first + 1);
        t.inputTokens = rs.getLong(first + 2);
        t.outputTokens = rs.getLong(first + 3);
        BigDecimal cost = rs.getBigDecimal(first + 4);
        t.costUsd = cost == null ? BigDecimal.ZERO : cost;
        t.latency = LatencyHistogram.decode(rs.getString(first + 5));
        return t;
    }

    /**
     * The stored rows of {@code grain} whose bucket starts in {@code [fromUs, toUs)}, restricted to the given
     * deployment, provider and model (null for any).
     */
    static List<Row> read(Connection c, CallStatsGrain grain, long fromUs, long toUs, String deployment, String provider, String model)
            throws SQLException {
        CallLogSearch.Where w = new CallLogSearch.Where();
        w.add("grain = ?", grain.code()).add("bucket_us >= ?", fromUs).add("bucket_us < ?", toUs)
                .eq("deployment", deployment).eq("provider", provider).eq("model", model);
        List<Row> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT bucket_us, deployment, provider, model, requests, errors, input_tokens,"
                + " output_tokens, cost_usd, latency FROM sb_call_stats" + w.sql())) {
            w.bind(q);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(grain, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), totals(rs, 5)));
                }
            }
        }
        return out;
    }

    /** Builds the rows of the calls already in {@code sb_call_index} (a database migrated from schema version 2). */
    static void backfill(Connection c, CallLogDialect dialect) throws SQLException {
        Batch b = new Batch();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT started_us, deployment, provider, model, status,"
                + " latency_ms, input_tokens, output_tokens, cost_usd FROM sb_call_index")) {
            while (rs.next()) {
                b.add(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), "error".equals(rs.getString(5)), rs.getLong(6),
                        rs.getLong(7), rs.getLong(8), rs.getBigDecimal(9));
            }
        }
        write(c, dialect, b, null);
    }

    /** Deletes the rows whose bucket ended before {@code cutoffUs}; returns how many. */
    static long deleteBefore(Connection c, long cutoffUs) throws SQLException {
        long n = 0;
        try (PreparedStatement d = c.prepareStatement("DELETE FROM sb_call_stats WHERE grain = ? AND bucket_us <= ?")) {
            for (CallStatsGrain g : CallStatsGrain.values()) {
                d.setString(1, g.code());
                d.setLong(2, cutoffUs - g.micros());
                n += d.executeUpdate();
            }
        }
        return n;
    }
}
