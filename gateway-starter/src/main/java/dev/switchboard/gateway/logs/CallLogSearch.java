package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of {@link JdbcCallLogStore} on PostgreSQL (the embedded databases read blocks, see
 * {@link CallBlockSearch}): one record by id, and filtered pages newest first. A page walks the
 * narrow {@code sb_call_index} rows ({@link CallIndexRows}) in {@code (started_us DESC, id DESC)} index order,
 * evaluating every filter on them, and stops after {@code limit + 1} matches; then the page's records are read
 * from {@code sb_calls} by id. The cursor is the last row's {@code (started_us, id)}. Text search ({@code q}) is a
 * case-insensitive substring match (see {@link #contains}) over the lower-cased request, reply and error kept in the
 * narrow rows (through a trigram index on PostgreSQL with {@code pg_trgm}); a metadata filter matches the
 * {@code "key":"value"} fragment of the narrow rows' metadata JSON. A search that matches few calls thus reads
 * every narrow row (about 300 bytes a call), never the wide ones. Stateless and thread-safe.
 */
final class CallLogSearch {
    /** The largest page. */
    static final int MAX_LIMIT = 200;

    private CallLogSearch() {
    }

    static Optional<CallRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT record_json FROM sb_calls WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(CallRecordJson.read(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** The page of calls matching {@code f} and {@code fb} (null for any feedback), newest first. */
    static CallLogPage search(Connection c, CallLogDialect dialect, CallLogFilter f, FeedbackFilter fb) throws SQLException {
        int limit = Math.min(f.limit(), MAX_LIMIT);
        Where w = where(f);
        CallFeedbackSql.where(w, fb, "sb_call_index");
        if (f.cursor() != null) {
            CallLogCursor cur = CallLogCursor.decode(f.cursor());
            long us = CallIndexRows.micros(cur.startedAt());
            w.add("(started_us < ? OR (started_us = ? AND id < ?))", us, us, cur.id());
        }
        String sql = "SELECT started_us, id FROM sb_call_index" + w.sql() + " ORDER BY started_us DESC, id DESC"
                + dialect.fetchFirst(limit + 1);
        List<String> ids = new ArrayList<>(Math.min(limit + 1, 64));
        CallLogCursor last = null;
        boolean more = false;
        try (PreparedStatement q = c.prepareStatement(sql)) {
            w.bind(q);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (ids.size() == limit) {
                        more = true;
                        break;
                    }
                    last = new CallLogCursor(CallIndexRows.instant(rs.getLong(1)), rs.getString(2));
                    ids.add(last.id());
                }
            }
        }
        return new CallLogPage(records(c, ids), more ? last.encode() : null);
    }

    /** The records of {@code ids}, in that order (ids without a stored record are left out). */
    private static List<CallRecord> records(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, CallRecord> byId = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, record_json FROM sb_calls WHERE id IN (?" + ", ?".repeat(ids.size() - 1) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                q.setString(i + 1, ids.get(i));
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    byId.put(rs.getString(1), CallRecordJson.read(rs.getString(2)));
                }
            }
        }
        List<CallRecord> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            CallRecord r = byId.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The conditions of {@code f} (without its cursor) on {@code sb_call_index} columns. */
    static Where where(CallLogFilter f) {
        Where w = new Where();
        if (f.from() != null) {
            w.add("started_us >= ?", CallIndexRows.micros(f.from()));
        }
        if (f.to() != null) {
            w.add("started_us < ?", CallIndexRows.micros(f.to()));
        }
        w.eq("deployment", f.deployment()).eq("variant", f.variant()).eq("provider", f.provider()).eq("model", f.model())
                .eq("origin", f.origin()).eq("trace_id", f.traceId());
        if (f.status() != null) {
            w.add("status = ?", f.status() == CallRecord.Status.SUCCESS ? "success" : "error");
        }
        if (f.minLatencyMs() != null) {
            w.add("latency_ms >= ?", f.minLatencyMs());
        }
        for (Map.Entry<String, String> m : f.metadata().entrySet()) {
            // "key":"value" as the metadata column's JSON writes it: quotes inside keys and values are escaped there,
            // so the fragment matches that one entry only.
            w.add(contains("metadata", CallLogRows.json(Map.of(m.getKey(), m.getValue())).replaceAll("^\\{|\\}$", "")));
        }
        if (f.text() != null && !f.text().isEmpty()) {
            w.add(contains("search_text", f.text().toLowerCase(Locale.ROOT)));
        }
        return w;
    }

    /**
     * The condition "{@code column} contains {@code fragment}": {@code LIKE '%…%'} with {@code %}, {@code _} and
     * {@code \} escaped and the fragment as a literal (quotes doubled, NUL replaced as stored texts have it), which
     * PostgreSQL's trigram index serves.
     */
    static String contains(String column, String fragment) {
        return column + " LIKE " + literal("%" + escapeLike(fragment) + "%") + " ESCAPE '\\'";
    }

    private static String literal(String s) {
        return "'" + CallLogRows.cut(s, Integer.MAX_VALUE).replace("'", "''") + "'";
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A timestamp column's value as an instant, whatever type the driver returns (on SQLite: epoch microseconds). */
    static Instant instant(Object v) {
        if (v instanceof Long || v instanceof Integer) {
            return CallIndexRows.instant(((Number) v).longValue());
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + (v == null ? "null" : v.getClass().getName()));
    }

    /** A WHERE clause under construction with its parameters. Not thread-safe. */
    static final class Where {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();

        Where add(String condition, Object... values) {
            sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
            params.addAll(List.of(values));
            return this;
        }

        Where eq(String column, String value) {
            return value == null ? this : add(column + " = ?", value);
        }

        String sql() {
            return sql.toString();
        }

        int bind(PreparedStatement p) throws SQLException {
            int i = 1;
            for (Object o : params) {
                p.setObject(i++, o);
            }
            return i;
        }
    }
}
