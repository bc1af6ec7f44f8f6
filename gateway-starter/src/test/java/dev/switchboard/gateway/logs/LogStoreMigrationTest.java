package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * An H2 database written by schema version 2 (one wide {@code sb_calls} row per call with its request and reply
 * texts, indexes on time and deployment) opens with the current version: the search rows and statistics are built
 * from the stored calls, and searches, pages and statistics answer as for calls written now.
 */
class LogStoreMigrationTest {
    /** The statements of versions 1 and 2 on H2, as they were released. */
    private static final List<String> VERSION_2 = List.of(
            "CREATE TABLE sb_schema_migrations (component VARCHAR(100) NOT NULL, version INTEGER NOT NULL,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (component, version))",
            "CREATE TABLE sb_calls (id VARCHAR NOT NULL PRIMARY KEY, trace_id VARCHAR, span_id VARCHAR,"
                    + " started_at TIMESTAMP WITH TIME ZONE NOT NULL, ended_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " origin VARCHAR, deployment VARCHAR, variant VARCHAR, version VARCHAR, streaming BOOLEAN NOT NULL,"
                    + " provider VARCHAR, model VARCHAR, response_model VARCHAR, status VARCHAR NOT NULL, error_type VARCHAR,"
                    + " error_message VARCHAR, finish_reason VARCHAR, latency_ms BIGINT NOT NULL, ttft_ms BIGINT,"
                    + " input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cached_tokens BIGINT NOT NULL,"
                    + " cost_usd DECIMAL(24, 12), attempt_count INTEGER NOT NULL, metadata VARCHAR, context VARCHAR,"
                    + " request_text VARCHAR, reply_text VARCHAR, record_json VARCHAR NOT NULL)",
            "CREATE INDEX sb_calls_started ON sb_calls (started_at DESC, id DESC)",
            "CREATE INDEX sb_calls_deployment ON sb_calls (deployment, started_at DESC)",
            "CREATE TABLE sb_call_feedback (id VARCHAR NOT NULL PRIMARY KEY, call_id VARCHAR NOT NULL,"
                    + " score DOUBLE PRECISION, thumbs VARCHAR, comment_text VARCHAR, tags VARCHAR, source VARCHAR,"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE INDEX sb_call_feedback_call ON sb_call_feedback (call_id, created_at)",
            "INSERT INTO sb_schema_migrations (component, version) VALUES ('call_log', 1), ('call_log', 2)");

    @Test
    void aVersionTwoDatabaseIsMigratedAndAnswersLikeANewOne() throws Exception {
        List<CallRecord> records = LogRecords.thirty();
        JdbcDataSource legacy = database("legacy");
        try (Connection c = legacy.getConnection(); Statement s = c.createStatement()) {
            for (String sql : VERSION_2) {
                s.execute(sql);
            }
            for (CallRecord r : records) {
                insertAsVersionTwo(c, r);
            }
        }
        JdbcDataSource fresh = database("fresh");
        InMemoryCallLogStore reference = new InMemoryCallLogStore(100);
        reference.write(records);
        try (JdbcCallLogStore migrated = JdbcCallLogStore.builder(legacy).build();
             JdbcCallLogStore written = JdbcCallLogStore.builder(fresh).build()) {
            written.write(records);
            CallLogFilter all = CallLogFilter.all().page(200, null);
            for (CallLogFilter f : List.of(all, all.withText("shipped"), all.withText("exploded"), all.withText("50% off_"),
                    LogStoreContract.with(all, "metadata", Map.of("user", "u1")), all.withDeployment("triage").withStatus(CallRecord.Status.ERROR),
                    all.page(7, null))) {
                assertThat(LogStoreContract.ids(migrated.search(f))).as("%s", f).isEqualTo(LogStoreContract.ids(reference.search(f)))
                        .isNotEmpty();
            }
            assertThat(migrated.find("call_03")).contains(records.get(3));
            Instant from = Instant.parse("2025-08-15T10:00:00Z");
            for (CallStatsQuery.Bucket b : CallStatsQuery.Bucket.values()) {
                CallStatsQuery q = new CallStatsQuery(CallStatsQuery.GroupBy.MODEL, b, from.plusSeconds(150), from.plusSeconds(7200), null, null, null);
                assertThat(migrated.stats(q)).as("%s", b).isEqualTo(written.stats(q)).isNotEmpty();
            }
            migrated.write(List.of(records.get(0).toBuilder().id("call_new").build()));
            assertThat(migrated.search(all.withText("parcel 0 ")).records()).extracting(CallRecord::id).containsExactly("call_new", "call_00");
        }
        try (Connection c = legacy.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME IN ('SB_CALLS_STARTED', 'SB_CALLS_DEPLOYMENT')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("indexes version 3 drops on H2").isZero();
        }
    }

    private static JdbcDataSource database(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:call_log_migration_" + name + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static void insertAsVersionTwo(Connection c, CallRecord r) throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sb_calls (id, trace_id, span_id, started_at, ended_at, origin,"
                + " deployment, variant, version, streaming, provider, model, response_model, status, error_type, error_message,"
                + " finish_reason, latency_ms, ttft_ms, input_tokens, output_tokens, cached_tokens, cost_usd, attempt_count, metadata,"
                + " context, request_text, reply_text, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            p.setString(i++, r.id());
            p.setString(i++, r.traceId());
            p.setString(i++, r.spanId());
            p.setObject(i++, CallLogRows.utc(r.startedAt()));
            p.setObject(i++, CallLogRows.utc(r.endedAt()));
            p.setString(i++, r.origin());
            p.setString(i++, r.deployment());
            p.setString(i++, r.variant());
            p.setString(i++, r.version());
            p.setBoolean(i++, r.streaming());
            p.setString(i++, r.provider());
            p.setString(i++, r.model());
            p.setString(i++, r.responseModel());
            p.setString(i++, CallLogRows.status(r));
            p.setString(i++, r.errorType());
            p.setString(i++, r.errorMessage());
            p.setString(i++, r.finishReason());
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
            p.setString(i++, CallLogRows.json(r.metadata()));
            p.setString(i++, CallLogRows.json(r.context()));
            p.setString(i++, CallLogRows.requestText(r.requestMessages()));
            p.setString(i++, r.reply());
            p.setString(i, CallRecordJson.write(r));
            p.executeUpdate();
        }
    }
}
