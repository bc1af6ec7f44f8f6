package dev.switchboard.gateway.logs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates and migrates the call-log tables. One numbered list of migrations serves both dialects (types and
 * the few dialect-only steps differ); applied versions are recorded in {@code sb_schema_migrations} under the
 * component {@value #COMPONENT} (the table the deployment store uses too). Every statement is idempotent
 * ({@code IF NOT EXISTS}), migrations run in order in one transaction, on PostgreSQL under a transaction-scoped
 * advisory lock so that gateways starting together do not race, on SQLite and H2 under a JVM-wide lock.
 *
 * <pre>
 * sb_calls          one row per call, by id: its columns and the whole record as JSON (what a page shows);
 *                   PostgreSQL's, empty on SQLite and H2 from version 4
 * sb_call_index     one narrow row per call in (started_us DESC, id DESC) order: what searches filter on, with the
 *                   lower-cased searchable text (version 3, see CallIndexRows); PostgreSQL's, as sb_calls
 * sb_call_stats     pre-aggregated statistics per minute, hour and day and (deployment, provider, model)
 *                   (version 3, see CallStatsRollup)
 * sb_call_attempts  (call_id, idx): provider, model, outcome, status, error, latency_ms (PostgreSQL only)
 * sb_call_feedback  id: call_id, score, thumbs, comment_text, tags, source, created_at (see CallFeedbackSql)
 * sb_call_blocks    SQLite and H2 (version 4): one row per written batch, its time range and keys (see CallBlock)
 * sb_call_block_records  SQLite and H2 (version 4): the batch's record JSON, compressed
 * </pre>
 *
 * Version 3 fills the new tables from the calls a version-2 database holds (once, when it is first opened by
 * this version) and, on the embedded databases, drops the two {@code sb_calls} indexes searches no longer use. A
 * SQLite database (supported since version 3) runs all of them on empty tables when it is created.
 *
 * Version 4 moves an embedded database's calls from {@code sb_calls} and {@code sb_call_index} into blocks (once,
 * in chunks of {@value CallBlockTable#MOVE_CHUNK}, oldest first) and leaves those tables empty; from then on its
 * calls are written and read as blocks ({@link CallBlockTable}, {@link CallBlockSearch}). PostgreSQL keeps rows.
 *
 * Stateless and thread-safe.
 */
final class CallLogSchema {
    static final String COMPONENT = "call_log";
    private static final long LOCK_ID = 0x5357_4C4F_4700L; // "SWLOG"
    private static final Object EMBEDDED_LOCK = new Object();

    /**
     * One migration: its statements for every dialect, for PostgreSQL only and for the embedded ones (SQLite, H2)
     * only (see {@link CallLogDialect#ddl}), then a step in Java (data to move), which may be null.
     */
    private record Migration(List<String> both, List<String> postgresOnly, List<String> embeddedOnly, Step then) {
        Migration(List<String> both, List<String> postgresOnly) {
            this(both, postgresOnly, List.of(), null);
        }
    }

    /** A migration's step in Java, run in the migration's transaction. */
    @FunctionalInterface
    private interface Step {
        void run(Connection c, CallLogDialect dialect) throws SQLException;
    }

    /** The text searched by {@code q}: request, reply and error, lower-cased (an index expression on PostgreSQL). */
    static final String SEARCH_TEXT = "LOWER(COALESCE(request_text, '') || CHR(1) || COALESCE(reply_text, '') || CHR(1) || COALESCE(error_message, ''))";

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(List.of(
                    "CREATE TABLE IF NOT EXISTS sb_calls (id {STR} NOT NULL PRIMARY KEY, trace_id {STR}, span_id {STR},"
                            + " started_at TIMESTAMP WITH TIME ZONE NOT NULL, ended_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                            + " origin {STR}, deployment {STR}, variant {STR}, version {STR}, streaming BOOLEAN NOT NULL,"
                            + " provider {STR}, model {STR}, response_model {STR}, status {STR} NOT NULL, error_type {STR},"
                            + " error_message {STR}, finish_reason {STR}, latency_ms BIGINT NOT NULL, ttft_ms BIGINT,"
                            + " input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cached_tokens BIGINT NOT NULL,"
                            + " cost_usd DECIMAL(24, 12), attempt_count INTEGER NOT NULL, metadata {TEXT}, context {TEXT},"
                            + " request_text {STR}, reply_text {STR}, record_json {TEXT} NOT NULL)",
                    "CREATE INDEX IF NOT EXISTS sb_calls_started ON sb_calls (started_at DESC, id DESC)",
                    "CREATE INDEX IF NOT EXISTS sb_calls_deployment ON sb_calls (deployment, started_at DESC)"),
                    List.of(
                    // Where the database has its own CPU: more indexes, and the attempts as rows for SQL users. The
                    // embedded H2 shares the gateway's CPU, so it keeps one row per call (attempts are in record_json)
                    // and its searches by these columns walk the time index.
                    "CREATE TABLE IF NOT EXISTS sb_call_attempts (call_id {STR} NOT NULL REFERENCES sb_calls (id) ON DELETE CASCADE,"
                            + " idx INTEGER NOT NULL, provider {STR} NOT NULL, model {STR}, outcome {STR} NOT NULL, status INTEGER NOT NULL,"
                            + " error {STR}, latency_ms BIGINT NOT NULL, PRIMARY KEY (call_id, idx))",
                    "CREATE INDEX IF NOT EXISTS sb_calls_provider ON sb_calls (provider, started_at DESC)",
                    "CREATE INDEX IF NOT EXISTS sb_calls_model ON sb_calls (model, started_at DESC)",
                    "CREATE INDEX IF NOT EXISTS sb_calls_status ON sb_calls (status, started_at DESC)",
                    "CREATE INDEX IF NOT EXISTS sb_calls_trace ON sb_calls (trace_id)",
                    // Substring search through a trigram index when pg_trgm can be had; a plain scan otherwise.
                    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN"
                            + " RAISE NOTICE 'pg_trgm is not available: call log text search scans'; END $$",
                    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN"
                            + " CREATE INDEX IF NOT EXISTS sb_calls_search ON sb_calls USING gin ((" + SEARCH_TEXT + ") gin_trgm_ops);"
                            + " END IF; END $$")),
            new Migration(CallFeedbackSql.MIGRATION, List.of()),
            new Migration(concat(CallIndexRows.MIGRATION, CallStatsRollup.MIGRATION),
                    List.of("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN"
                            + " CREATE INDEX IF NOT EXISTS sb_call_index_search ON sb_call_index USING gin (search_text gin_trgm_ops);"
                            + " END IF; END $$"),
                    List.of("DROP INDEX IF EXISTS sb_calls_started", "DROP INDEX IF EXISTS sb_calls_deployment"),
                    (c, dialect) -> {
                        CallIndexRows.backfill(c, dialect);
                        CallStatsRollup.backfill(c, dialect);
                    }),
            new Migration(List.of(), List.of(), CallBlockTable.MIGRATION, (c, dialect) -> {
                if (dialect.embedded()) {
                    CallBlockTable.moveRows(c);
                }
            }));

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private CallLogSchema() {
    }

    /** The newest schema version. */
    static int latest() {
        return MIGRATIONS.size();
    }

    /**
     * Applies the migrations {@code c}'s database lacks.
     *
     * @throws SQLException when a migration fails (nothing of it is recorded)
     */
    static void migrate(Connection c, CallLogDialect dialect) throws SQLException {
        if (dialect.embedded()) {
            synchronized (EMBEDDED_LOCK) {
                apply(c, dialect);
            }
        } else {
            apply(c, dialect);
        }
    }

    private static void apply(Connection c, CallLogDialect dialect) throws SQLException {
        Transactions.inOne(c, () -> {
            try (Statement s = c.createStatement()) {
                if (dialect == CallLogDialect.POSTGRESQL) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
                }
                s.execute("CREATE TABLE IF NOT EXISTS sb_schema_migrations (component VARCHAR(100) NOT NULL,"
                        + " version INTEGER NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                        + " PRIMARY KEY (component, version))");
            }
            Set<Integer> applied = applied(c);
            for (int i = 0; i < MIGRATIONS.size(); i++) {
                if (applied.contains(i + 1)) {
                    continue;
                }
                Migration m = MIGRATIONS.get(i);
                try (Statement s = c.createStatement()) {
                    for (String sql : m.both()) {
                        s.execute(dialect.ddl(sql));
                    }
                    for (String sql : dialect.embedded() ? m.embeddedOnly() : m.postgresOnly()) {
                        s.execute(dialect.ddl(sql));
                    }
                }
                if (m.then() != null) {
                    m.then().run(c, dialect);
                }
                try (PreparedStatement rec = c.prepareStatement("INSERT INTO sb_schema_migrations (component, version) VALUES (?, ?)")) {
                    rec.setString(1, COMPONENT);
                    rec.setInt(2, i + 1);
                    rec.executeUpdate();
                }
            }
            c.commit();
            return null;
        });
    }

    private static Set<Integer> applied(Connection c) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM sb_schema_migrations WHERE component = ?")) {
            q.setString(1, COMPONENT);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }
}
