package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The narrow search table {@code sb_call_index}: one small row per call with what {@code /v1/logs} filters on
 * (the start as epoch microseconds, deployment, variant, provider, model, status, origin, trace id, latency,
 * tokens, cost, the metadata JSON) and the lower-cased searchable text (request, reply and error), in the
 * {@code (started_us DESC, id DESC)} order of one index. Searches walk this table instead of {@code sb_calls},
 * whose rows carry the whole record as JSON: a filter or text search that has to look at every call reads small
 * rows only, and the wide rows are read for the one page shown. Stateless and thread-safe.
 */
final class CallIndexRows {
    /** The table and its index (both dialects). */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE IF NOT EXISTS sb_call_index (started_us BIGINT NOT NULL, id {STR} NOT NULL, deployment {STR},"
                    + " variant {STR}, provider {STR}, model {STR}, status {STR} NOT NULL, origin {STR}, trace_id {STR},"
                    + " latency_ms BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,"
                    + " cost_usd DECIMAL(24, 12), metadata {TEXT}, search_text {TEXT})",
            "CREATE INDEX IF NOT EXISTS sb_call_index_time ON sb_call_index (started_us DESC, id DESC)");
    /** The columns written, in order. */
    static final String[] COLUMNS = {"started_us", "id", "deployment", "variant", "provider", "model", "status", "origin",
            "trace_id", "latency_ms", "input_tokens", "output_tokens", "cost_usd", "metadata", "search_text"};
    private static final String INSERT = "INSERT INTO sb_call_index (" + String.join(", ", COLUMNS) + ") VALUES (?"
            + ", ?".repeat(COLUMNS.length - 1) + ")";
    /** Separates request, reply and error in the searchable text, so that no match spans two of them. */
    private static final char SEPARATOR = '\u0001';

    private CallIndexRows() {
    }

    /**
     * {@code t} as epoch microseconds, rounded to the nearest (half up, as H2 and PostgreSQL store a timestamp's
     * microseconds): the stored form of a call's start.
     */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500) / 1_000);
    }

    /** Epoch microseconds as an instant. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * The searchable text of {@code r}: request messages ({@code role: content} lines), reply and error message,
     * each cut to {@value CallLogRows#SEARCHABLE} characters, separated by U+0001, lower-cased; null when the record
     * has none of them.
     */
    static String searchText(CallRecord r) {
        String request = CallLogRows.cut(CallLogRows.requestText(r.requestMessages()), CallLogRows.SEARCHABLE);
        String reply = CallLogRows.cut(r.reply(), CallLogRows.SEARCHABLE);
        String error = CallLogRows.cut(r.errorMessage(), CallLogRows.SEARCHABLE);
        if (request == null && reply == null && error == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder((request == null ? 0 : request.length()) + (reply == null ? 0 : reply.length())
                + (error == null ? 0 : error.length()) + 2);
        if (request != null) {
            sb.append(request);
        }
        sb.append(SEPARATOR);
        if (reply != null) {
            sb.append(reply);
        }
        sb.append(SEPARATOR);
        if (error != null) {
            sb.append(error);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Adds the rows of {@code records} (all new calls) in one JDBC batch. */
    static void insert(Connection c, List<CallRecord> records) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(INSERT)) {
            for (CallRecord r : records) {
                p.setLong(1, micros(r.startedAt()));
                p.setString(2, CallLogRows.cut(r.id(), CallLogRows.SHORT));
                p.setString(3, CallLogRows.cut(r.deployment(), CallLogRows.SHORT));
                p.setString(4, CallLogRows.cut(r.variant(), CallLogRows.SHORT));
                p.setString(5, CallLogRows.cut(r.provider(), CallLogRows.SHORT));
                p.setString(6, CallLogRows.cut(r.model(), CallLogRows.SHORT));
                p.setString(7, CallLogRows.status(r));
                p.setString(8, CallLogRows.cut(r.origin(), CallLogRows.SHORT));
                p.setString(9, CallLogRows.cut(r.traceId(), CallLogRows.SHORT));
                p.setLong(10, r.latencyMs());
                p.setLong(11, r.inputTokens());
                p.setLong(12, r.outputTokens());
                p.setBigDecimal(13, r.costUsd());
                p.setString(14, CallLogRows.json(r.metadata()));
                p.setString(15, searchText(r));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * Fills the table from {@code sb_calls} rows written before it existed (a database of schema version 2).
     * The searchable text comes from the request and reply columns those versions filled.
     */
    static void backfill(Connection c, CallLogDialect dialect) throws SQLException {
        if (dialect == CallLogDialect.SQLITE) {
            return; // no SQLite call log predates this table: sb_calls is empty when it is created
        }
        String micros = "CAST(FLOOR(EXTRACT(EPOCH FROM started_at) * 1000000) AS BIGINT)";
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO sb_call_index (" + String.join(", ", COLUMNS) + ") SELECT " + micros
                    + ", id, deployment, variant, provider, model, status, origin, trace_id, latency_ms, input_tokens, output_tokens,"
                    + " cost_usd, metadata, CASE WHEN request_text IS NULL AND reply_text IS NULL AND error_message IS NULL THEN NULL"
                    + " ELSE " + CallLogSchema.SEARCH_TEXT + " END FROM sb_calls");
        }
    }
}
