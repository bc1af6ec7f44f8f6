package dev.switchboard.gateway.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feedback in the call-log database: the {@code sb_call_feedback} table (one row per feedback, keyed by its id,
 * several per call, no foreign key since feedback may arrive before the call's record), the feedback conditions
 * of a search, and the summary per deployment and variant of {@code /v1/stats}. The retention sweep deletes
 * feedback older than the retention whose call is no longer stored.
 * Stateless and thread-safe.
 */
final class CallFeedbackSql {
    /** The migration that creates the table (both dialects). */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE IF NOT EXISTS sb_call_feedback (id {STR} NOT NULL PRIMARY KEY, call_id {STR} NOT NULL,"
                    + " score DOUBLE PRECISION, thumbs {STR}, comment_text {TEXT}, tags {TEXT}, source {STR},"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sb_call_feedback_call ON sb_call_feedback (call_id, created_at)");
    private static final String[] COLUMNS = {"id", "call_id", "score", "thumbs", "comment_text", "tags", "source", "created_at"};
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    private CallFeedbackSql() {
    }

    /** Inserts {@code f} unless its id is stored; returns whether it was new. */
    static boolean insert(Connection c, CallLogDialect dialect, Feedback f) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(dialect.insertIfAbsent("sb_call_feedback", "id", COLUMNS))) {
            int i = 1;
            if (dialect.keyFirst()) {
                p.setString(i++, f.id());
            }
            p.setString(i++, f.id());
            p.setString(i++, f.callId());
            if (f.score() == null) {
                p.setNull(i++, Types.DOUBLE);
            } else {
                p.setDouble(i++, f.score());
            }
            p.setString(i++, f.thumbs() == null ? null : f.thumbs().wireName());
            p.setString(i++, f.comment());
            p.setString(i++, f.tags().isEmpty() ? null : json(f.tags()));
            p.setString(i++, CallLogRows.cut(f.source(), CallLogRows.SHORT));
            dialect.bindTime(p, i, f.createdAt());
            return p.executeUpdate() > 0;
        }
    }

    /** The feedback on {@code callId}, oldest first. */
    static List<Feedback> of(Connection c, String callId) throws SQLException {
        List<Feedback> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + String.join(", ", COLUMNS)
                + " FROM sb_call_feedback WHERE call_id = ? ORDER BY created_at, id")) {
            q.setString(1, callId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** The feedback of the current row of {@code rs} (the {@link #COLUMNS} in order). */
    private static Feedback read(ResultSet rs) throws SQLException {
        double score = rs.getDouble(3);
        Double s = rs.wasNull() ? null : score;
        String thumbs = rs.getString(4);
        String tags = rs.getString(6);
        return new Feedback(rs.getString(1), rs.getString(2), s, thumbs == null ? null : Feedback.Thumbs.parse(thumbs),
                rs.getString(5), tags == null ? List.of() : tags(tags), rs.getString(7), CallLogSearch.instant(rs.getObject(8)));
    }

    /** Adds {@code fb}'s conditions on the rows of {@code table} (which has the call's {@code id}) to {@code w}. */
    static void where(CallLogSearch.Where w, FeedbackFilter fb, String table) {
        if (fb == null) {
            return;
        }
        String any = "EXISTS (SELECT 1 FROM sb_call_feedback f WHERE f.call_id = " + table + ".id";
        if (fb.presence() != null) {
            switch (fb.presence()) {
                case UP -> w.add(any + " AND f.thumbs = 'up')");
                case DOWN -> w.add(any + " AND f.thumbs = 'down')");
                case ANY -> w.add(any + ")");
                case NONE -> w.add("NOT " + any + ")");
            }
        }
        if (fb.minScore() != null) {
            w.add("(SELECT AVG(f.score) FROM sb_call_feedback f WHERE f.call_id = " + table + ".id) >= ?", fb.minScore());
        }
    }

    /** Feedback on the calls matching {@code scope} (limit and cursor ignored), per deployment and variant (PostgreSQL). */
    static List<FeedbackSummary> summary(Connection c, CallLogFilter scope) throws SQLException {
        CallLogSearch.Where w = CallLogSearch.where(scope);
        String sql = "SELECT deployment, variant, COUNT(f.id), COUNT(f.score), AVG(f.score),"
                + " SUM(CASE WHEN f.thumbs = 'up' THEN 1 ELSE 0 END), SUM(CASE WHEN f.thumbs = 'down' THEN 1 ELSE 0 END)"
                + " FROM sb_call_index JOIN sb_call_feedback f ON f.call_id = sb_call_index.id" + w.sql()
                + " GROUP BY deployment, variant ORDER BY deployment, variant";
        List<FeedbackSummary> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            w.bind(p);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long scored = rs.getLong(4);
                    double avg = rs.getDouble(5);
                    out.add(new FeedbackSummary(rs.getString(1), rs.getString(2), rs.getLong(3), scored, scored == 0 ? null : avg,
                            rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    /** Deletes the feedback on calls no longer stored that was given before {@code cutoff}; returns how many. */
    static long deleteOrphansBefore(Connection c, CallLogDialect dialect, Instant cutoff) throws SQLException {
        if (dialect.embedded()) {
            return deleteOrphanBlocksBefore(c, dialect, cutoff);
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM sb_call_feedback WHERE created_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM sb_calls WHERE sb_calls.id = sb_call_feedback.call_id)")) {
            dialect.bindTime(d, 1, cutoff);
            int n = d.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return n;
        }
    }

    /** {@link #deleteOrphansBefore} on an embedded database, whose calls are in blocks. */
    private static long deleteOrphanBlocksBefore(Connection c, CallLogDialect dialect, Instant cutoff) throws SQLException {
        java.util.Set<String> old = new java.util.HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT call_id FROM sb_call_feedback WHERE created_at < ?")) {
            dialect.bindTime(q, 1, cutoff);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    old.add(rs.getString(1));
                }
            }
        }
        old.removeAll(CallBlockTable.storedIds(c, old));
        long n = 0;
        try (PreparedStatement d = c.prepareStatement("DELETE FROM sb_call_feedback WHERE created_at < ? AND call_id = ?")) {
            for (String callId : old) {
                dialect.bindTime(d, 1, cutoff);
                d.setString(2, callId);
                n += d.executeUpdate();
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return n;
    }

    /** All feedback by call id, each call's oldest first (for searches that read calls from blocks). */
    static Map<String, List<Feedback>> byCall(Connection c) throws SQLException {
        Map<String, List<Feedback>> out = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + String.join(", ", COLUMNS) + " FROM sb_call_feedback ORDER BY created_at, id");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Feedback f = read(rs);
                out.computeIfAbsent(f.callId(), k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    private static String json(List<String> tags) {
        try {
            return CallRecordJson.mapper().writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tags(String json) {
        try {
            return CallRecordJson.mapper().readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
