package dev.switchboard.gateway.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes batches of {@link CallRecord}s: one transaction per batch, calls inserted only when their id is new (so a
 * batch written twice, or a record ingested twice, is stored once), on PostgreSQL with their attempts as rows.
 * Indexed strings are cut to {@value #SHORT} characters and the searchable request and reply texts to
 * {@value #SEARCHABLE}; the record JSON column keeps everything. Stateless and thread-safe.
 */
final class CallLogRows {
    static final int SHORT = 500;
    static final int SEARCHABLE = 100_000;
    private static final String[] CALL_COLUMNS = {"id", "trace_id", "span_id", "started_at", "ended_at", "origin", "deployment",
            "variant", "version", "streaming", "provider", "model", "response_model", "status", "error_type", "error_message",
            "finish_reason", "latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cached_tokens", "cost_usd", "attempt_count",
            "metadata", "context", "request_text", "reply_text", "record_json"};
    private static final String[] ATTEMPT_COLUMNS = {"call_id", "idx", "provider", "model", "outcome", "status", "error", "latency_ms"};

    private CallLogRows() {
    }

    /**
     * Stores {@code records} in one transaction.
     *
     * @return how many were new
     * @throws SQLException when the batch was not stored (nothing of it is)
     */
    static int write(Connection c, CallLogDialect dialect, List<CallRecord> records) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            List<CallRecord> inserted = new ArrayList<>(records.size());
            try (PreparedStatement calls = c.prepareStatement(dialect.insertIfAbsent("sb_calls", "id", CALL_COLUMNS))) {
                for (CallRecord r : records) {
                    bindCall(calls, dialect.keyFirst(), r);
                    calls.addBatch();
                }
                int[] counts = calls.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) { // SUCCESS_NO_INFO (-2) counts as inserted
                        inserted.add(records.get(i));
                    }
                }
            }
            if (dialect == CallLogDialect.POSTGRESQL) {
                writeAttempts(c, inserted);
            }
            c.commit();
            return inserted.size();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The attempts of the new calls as rows (PostgreSQL; H2 keeps them in {@code record_json} only). */
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

    private static void bindCall(PreparedStatement p, boolean keyFirst, CallRecord r) throws SQLException {
        int i = 1;
        String id = cut(r.id(), SHORT);
        if (keyFirst) {
            p.setString(i++, id);
        }
        p.setString(i++, id);
        p.setString(i++, cut(r.traceId(), SHORT));
        p.setString(i++, cut(r.spanId(), SHORT));
        p.setObject(i++, utc(r.startedAt()));
        p.setObject(i++, utc(r.endedAt()));
        p.setString(i++, cut(r.origin(), SHORT));
        p.setString(i++, cut(r.deployment(), SHORT));
        p.setString(i++, cut(r.variant(), SHORT));
        p.setString(i++, cut(r.version(), SHORT));
        p.setBoolean(i++, r.streaming());
        p.setString(i++, cut(r.provider(), SHORT));
        p.setString(i++, cut(r.model(), SHORT));
        p.setString(i++, cut(r.responseModel(), SHORT));
        p.setString(i++, r.status() == CallRecord.Status.SUCCESS ? "success" : "error");
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

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /** The metadata (or context) column's JSON: what {@link CallLogSearch} matches {@code "key":"value"} in. */
    static String json(Map<String, String> m) {
        if (m.isEmpty()) {
            return null;
        }
        try {
            return clean(CallRecordJson.mapper().writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code s} cut to {@code max} characters, without NUL characters (PostgreSQL text cannot hold them). */
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
