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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of {@link JdbcCallLogStore}: one record by id, and filtered pages newest first. A page walks
 * the {@code (started_at DESC, id DESC)} index (or the one of its most selective filter) and stops after
 * {@code limit + 1} rows; the cursor is the last row's {@code (started_at, id)}. Text search ({@code q}) is a
 * case-insensitive substring match ({@code LIKE}) over request, reply and error: through a trigram index on
 * PostgreSQL with {@code pg_trgm}, by scanning the filtered time window elsewhere. Stateless and thread-safe.
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

    static CallLogPage search(Connection c, CallLogFilter f) throws SQLException {
        return search(c, f, null);
    }

    /** As {@link #search(Connection, CallLogFilter)}, also matching {@code fb} (null for any feedback). */
    static CallLogPage search(Connection c, CallLogFilter f, FeedbackFilter fb) throws SQLException {
        int limit = Math.min(f.limit(), MAX_LIMIT);
        Where w = where(f);
        CallFeedbackSql.where(w, fb);
        if (f.cursor() != null) {
            CallLogCursor cur = CallLogCursor.decode(f.cursor());
            w.add("(started_at < ? OR (started_at = ? AND id < ?))", CallLogRows.utc(cur.startedAt()), CallLogRows.utc(cur.startedAt()), cur.id());
        }
        String sql = "SELECT started_at, id, record_json FROM sb_calls" + w.sql()
                + " ORDER BY started_at DESC, id DESC FETCH FIRST " + (limit + 1) + " ROWS ONLY";
        List<CallRecord> out = new ArrayList<>(Math.min(limit, 64));
        CallLogCursor last = null;
        try (PreparedStatement q = c.prepareStatement(sql)) {
            w.bind(q);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (out.size() == limit) {
                        return new CallLogPage(out, last.encode());
                    }
                    last = new CallLogCursor(instant(rs.getObject(1)), rs.getString(2));
                    out.add(CallRecordJson.read(rs.getString(3)));
                }
            }
        }
        return new CallLogPage(out, null);
    }

    /** The conditions of {@code f} (without its cursor). */
    static Where where(CallLogFilter f) {
        Where w = new Where();
        if (f.from() != null) {
            w.add("started_at >= ?", CallLogRows.utc(f.from()));
        }
        if (f.to() != null) {
            w.add("started_at < ?", CallLogRows.utc(f.to()));
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
            w.add("metadata LIKE ? ESCAPE '\\'", "%" + escapeLike(CallLogRows.json(Map.of(m.getKey(), m.getValue()))
                    .replaceAll("^\\{|\\}$", "")) + "%");
        }
        if (f.text() != null && !f.text().isEmpty()) {
            w.add(CallLogSchema.SEARCH_TEXT + " LIKE ? ESCAPE '\\'", "%" + escapeLike(f.text().toLowerCase(Locale.ROOT)) + "%");
        }
        return w;
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A timestamp column's value as an instant, whatever type the driver returns. */
    static Instant instant(Object v) {
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
