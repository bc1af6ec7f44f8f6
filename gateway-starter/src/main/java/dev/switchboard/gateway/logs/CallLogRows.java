package dev.switchboard.gateway.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes batches of {@link CallRecord}s: one transaction per batch, calls inserted only when their id is new (so a
 * batch written twice, or a record ingested twice, is stored once). A call is a row of {@code sb_calls} (the
 * whole record as JSON and its columns), a narrow row of {@code sb_call_index} (what searches filter on, see
 * {@link CallIndexRows}), its share of the pre-aggregated statistics ({@link CallStatsRollup}, updated once per
 * batch) and, on PostgreSQL, its attempts as rows. Plain inserts: a batch is first written as if all its ids were
 * new (the writer's calls are), and only when the database reports a duplicate key is it written again after
 * looking up which ids are stored. Indexed strings are cut to {@value #SHORT} characters and the searchable texts
 * to {@value #SEARCHABLE}; the record JSON keeps everything. PostgreSQL's layout: the embedded databases
 * store a batch as one block instead ({@link CallBlockTable}).
 * Stateless and thread-safe.
 */
final class CallLogRows {
    static final int SHORT = 500;
    static final int SEARCHABLE = 100_000;
    private static final String[] CALL_COLUMNS = {"id", "trace_id", "span_id", "started_at", "ended_at", "origin", "deployment",
            "variant", "version", "streaming", "provider", "model", "response_model", "status", "error_type", "error_message",
            "finish_reason", "latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cached_tokens", "cost_usd", "attempt_count",
            "metadata", "context", "request_text", "reply_text", "record_json"};
    private static final String[] ATTEMPT_COLUMNS = {"call_id", "idx", "provider", "model", "outcome", "status", "error", "latency_ms"};
    private static final int LOOKUP_CHUNK = 100;

    private CallLogRows() {
    }

    /**
     * Stores {@code records} in one transaction.
     *
     * @return how many were new
     * @throws SQLException when the batch was not stored (nothing of it is)
     */
    static int write(Connection c, CallLogDialect dialect, List<CallRecord> records, CallStatsRollup.Recent recent) throws SQLException {
        return Transactions.inOne(c, () -> {
            List<CallRecord> distinct = distinct(records);
            try {
                Map<String, CallStatsTotals> stats = insert(c, dialect, distinct, recent);
                c.commit();
                recent.remember(stats);
                return distinct.size();
            } catch (SQLException e) {
                c.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            List<CallRecord> fresh = withoutStored(c, distinct);
            Map<String, CallStatsTotals> stats = insert(c, dialect, fresh, recent);
            c.commit();
            recent.remember(stats);
            return fresh.size();
        });
    }

    private static Map<String, CallStatsTotals> insert(Connection c, CallLogDialect dialect, List<CallRecord> fresh,
                                                       CallStatsRollup.Recent recent) throws SQLException {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement calls = c.prepareStatement(insert("sb_calls", CALL_COLUMNS))) {
            for (CallRecord r : fresh) {
                bindCall(calls, dialect, r);
                calls.addBatch();
            }
            calls.executeBatch();
        }
        CallIndexRows.insert(c, fresh);
        writeAttempts(c, fresh);
        return CallStatsRollup.add(c, dialect, fresh, recent);
    }

    /** The records without repeated ids (the first of each kept). */
    static List<CallRecord> distinct(List<CallRecord> records) {
        Set<String> seen = new HashSet<>(records.size() * 2);
        List<CallRecord> out = new ArrayList<>(records.size());
        for (CallRecord r : records) {
            if (seen.add(cut(r.id(), SHORT))) {
                out.add(r);
            }
        }
        return out;
    }

    /** The records whose ids are not stored yet. */
    private static List<CallRecord> withoutStored(Connection c, List<CallRecord> records) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM sb_calls WHERE id IN (?" + ", ?".repeat(LOOKUP_CHUNK - 1) + ")")) {
            for (int from = 0; from < records.size(); from += LOOKUP_CHUNK) {
                for (int i = 0; i < LOOKUP_CHUNK; i++) { // a short last chunk repeats its last id: one statement text
                    q.setString(i + 1, cut(records.get(Math.min(from + i, records.size() - 1)).id(), SHORT));
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
        }
        List<CallRecord> out = new ArrayList<>(records.size());
        for (CallRecord r : records) {
            if (!stored.contains(cut(r.id(), SHORT))) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Whether {@code e} (or one of a batch's chained exceptions) is a unique-key violation: SQLState 23505, or
     * SQLite's {@code SQLITE_CONSTRAINT_PRIMARYKEY} / {@code SQLITE_CONSTRAINT_UNIQUE} (its driver sets no SQLState).
     */
    static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    String m = n.getMessage();
                    if ("23505".equals(n.getSQLState()) || m != null
                            && (m.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || m.contains("SQLITE_CONSTRAINT_UNIQUE"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The attempts of the new calls as rows (they are in {@code record_json} too). */
    private static void writeAttempts(Connection c, List<CallRecord> inserted) throws SQLException {
        boolean any = false;
        try (PreparedStatement a = c.prepareStatement(insert("sb_call_attempts", ATTEMPT_COLUMNS))) {
            for (CallRecord r : inserted) {
                String id = cut(r.id(), SHORT);
                List<AttemptRecord> attempts = r.attempts();
                for (int i = 0; i < attempts.size(); i++) {
                    AttemptRecord at = attempts.get(i);
                    a.setString(1, id);
                    a.setInt(2, i);
                    a.setString(3, cut(at.provider(), SHORT));
                    a.setString(4, cut(at.model(), SHORT));
                    a.setString(5, cut(at.outcome(), SHORT));
                    a.setInt(6, at.status());
                    a.setString(7, cut(at.error(), SEARCHABLE));
                    a.setLong(8, at.latencyMs());
                    a.addBatch();
                    any = true;
                }
            }
            if (any) {
                a.executeBatch();
            }
        }
    }

    private static String insert(String table, String[] columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (?" + ", ?".repeat(columns.length - 1) + ")";
    }

    /** Binds a whole {@code sb_calls} row (PostgreSQL: SQL users and the attempts' foreign key read its columns). */
    private static void bindCall(PreparedStatement p, CallLogDialect dialect, CallRecord r) throws SQLException {
        int i = 1;
        p.setString(i++, cut(r.id(), SHORT));
        p.setString(i++, cut(r.traceId(), SHORT));
        p.setString(i++, cut(r.spanId(), SHORT));
        dialect.bindTime(p, i++, r.startedAt());
        dialect.bindTime(p, i++, r.endedAt());
        p.setString(i++, cut(r.origin(), SHORT));
        p.setString(i++, cut(r.deployment(), SHORT));
        p.setString(i++, cut(r.variant(), SHORT));
        p.setString(i++, cut(r.version(), SHORT));
        p.setBoolean(i++, r.streaming());
        p.setString(i++, cut(r.provider(), SHORT));
        p.setString(i++, cut(r.model(), SHORT));
        p.setString(i++, cut(r.responseModel(), SHORT));
        p.setString(i++, status(r));
        p.setString(i++, cut(r.errorType(), SHORT));
        p.setString(i++, cut(r.errorMessage(), SEARCHABLE));
        p.setString(i++, cut(r.finishReason(), SHORT));
        p.setLong(i++, r.latencyMs());
        if (r.timeToFirstTokenMs() == null) {
            p.setNull(i++, Types.BIGINT);
        } else {
            p.setLong(i++, r.timeToFirstTokenMs());
        }
        p.setLong(i++, r.inputTokens());
        p.setLong(i++, r.outputTokens());
        p.setLong(i++, r.cachedTokens());
        p.setBigDecimal(i++, r.costUsd());
        p.setInt(i++, r.attempts().size());
        p.setString(i++, json(r.metadata()));
        p.setString(i++, json(r.context()));
        p.setString(i++, cut(requestText(r.requestMessages()), SEARCHABLE));
        p.setString(i++, cut(r.reply(), SEARCHABLE));
        p.setString(i, clean(CallRecordJson.write(r)));
    }

    /** The request messages as searchable text: one {@code role: content} line each; null without contents. */
    static String requestText(List<MessageRecord> messages) {
        if (messages == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (MessageRecord m : messages) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(m.role()).append(": ").append(m.content());
            if (sb.length() > SEARCHABLE) {
                break;
            }
        }
        return sb.toString();
    }

    /** The stored status: {@code success} or {@code error}. */
    static String status(CallRecord r) {
        return r.status() == CallRecord.Status.SUCCESS ? "success" : "error";
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * The metadata (or context) column's JSON, {@code {"key":"value",...}} as the record JSON writes it (what
     * {@link CallLogSearch} matches {@code "key":"value"} in); null for no entries.
     */
    static String json(Map<String, String> m) {
        if (m.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(32 * m.size());
        try (JsonGenerator g = CallRecordJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : m.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return clean(out.toString());
    }

    /** {@code s} cut to {@code max} characters, without NUL characters (PostgreSQL text cannot hold them); {@code s} itself when it has neither. */
    static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        return clean(s.length() > max ? s.substring(0, max) : s);
    }

    private static String clean(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
