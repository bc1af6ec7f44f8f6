package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JdbcCallLogStore} database must do: round trips, every filter (checked against the in-memory
 * store as the reference), paging, idempotent batches, statistics, retention and migrations.
 */
abstract class LogStoreContract {
    private final List<CallRecord> records = LogRecords.thirty();
    private final InMemoryCallLogStore reference = new InMemoryCallLogStore(100);
    DataSource ds;
    JdbcCallLogStore store;

    /** A fresh, empty database. */
    abstract DataSource freshDatabase() throws Exception;

    @BeforeEach
    void fill() throws Exception {
        ds = freshDatabase();
        store = JdbcCallLogStore.builder(ds).build();
        store.write(records.subList(0, 12));
        try (CallLogStore.Batch batch = store.newBatch()) { // as the call log's writer fills it (the embedded databases' own)
            records.subList(12, 30).forEach(batch::add);
            batch.write();
        }
        reference.write(records);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aRecordComesBackWholeWithItsAttempts() {
        for (CallRecord r : records) {
            assertThat(store.find(r.id())).contains(r);
        }
        assertThat(store.find("call_03").orElseThrow().attempts()).extracting(a -> a.outcome() + "/" + a.status())
                .containsExactly("failure/503", "success/200");
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void everyFilterSelectsWhatTheReferenceStoreSelects() {
        CallLogFilter all = CallLogFilter.all().page(200, null);
        List<UnaryOperator<CallLogFilter>> filters = List.of(
                f -> f,
                f -> f.withDeployment("triage"),
                f -> with(f, "variant", "b"),
                f -> with(f, "provider", "anthropic"),
                f -> with(f, "model", "gpt-4o"),
                f -> f.withStatus(CallRecord.Status.ERROR),
                f -> f.withStatus(CallRecord.Status.SUCCESS).withDeployment("support"),
                f -> with(f, "origin", "billing-service"),
                f -> with(f, "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"),
                f -> with(f, "from", LogRecords.T0.plusSeconds(600)),
                f -> with(f, "to", LogRecords.T0.plusSeconds(600)),
                f -> with(with(f, "from", LogRecords.T0.plusSeconds(300)), "to", LogRecords.T0.plusSeconds(900)),
                f -> with(f, "metadata", Map.of("user", "u1")),
                f -> with(f, "metadata", Map.of("user", "u1", "ticket", "T-9")),
                f -> with(f, "metadata", Map.of("user", "nobody")),
                f -> with(f, "min_latency_ms", 200L),
                f -> f.withText("shipped"),
                f -> f.withText("EXPLODED"),
                f -> f.withText("50% off_"),
                f -> f.withText("50_"),
                f -> f.withText("acme").withDeployment("triage").withStatus(CallRecord.Status.SUCCESS));
        // so that "the same as the reference" means something: each filter but two selects some records, and each
        // but the first leaves some out
        Set<Integer> meantToSelectNothing = Set.of(14, 19);
        int everything = ids(reference.search(all)).size();
        for (int i = 0; i < filters.size(); i++) {
            CallLogFilter f = filters.get(i).apply(all);
            List<String> expected = ids(reference.search(f));
            if (meantToSelectNothing.contains(i)) {
                assertThat(expected).as("filter %d selects nothing: %s", i, f).isEmpty();
            } else {
                assertThat(expected).as("filter %d selects something: %s", i, f).isNotEmpty();
                assertThat(expected.size()).as("filter %d leaves records out: %s", i, f).isLessThan(i == 0 ? everything + 1 : everything);
            }
            assertThat(ids(store.search(f))).as("filter %d: %s", i, f).isEqualTo(expected);
        }
        assertThat(ids(store.search(all.withText("50% off_")))).containsExactly("call_11");
        assertThat(ids(store.search(all.withText("50_")))).isEmpty();
    }

    @Test
    void pagesWalkEverythingNewestFirstWithoutRepeats() {
        for (CallLogFilter f : List.of(CallLogFilter.all(), CallLogFilter.all().withDeployment("support"),
                with(CallLogFilter.all(), "metadata", Map.of("user", "u2")))) {
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                CallLogPage p = store.search(f.page(7, cursor));
                assertThat(p.records()).hasSizeLessThanOrEqualTo(7);
                p.records().forEach(r -> walked.add(r.id()));
                cursor = p.nextCursor();
                pages++;
            } while (cursor != null && pages < 20);
            assertThat(walked).isEqualTo(ids(reference.search(f.page(100, null))));
        }
        assertThatThrownBy(() -> store.search(CallLogFilter.all().page(5, "not-a-cursor"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPageIsCappedAt200() throws Exception {
        List<CallRecord> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(LogRecords.record(0).toBuilder().id("bulk_" + i).startedAt(Instant.parse("2024-01-01T00:00:00Z").plusMillis(i)).build());
        }
        store.write(many);
        assertThat(store.search(CallLogFilter.all().page(1000, null)).records()).hasSize(200);
    }

    @Test
    void aBatchWrittenTwiceIsStoredOnce() throws Exception {
        store.write(records.subList(5, 15));
        store.write(List.of(records.get(3), records.get(3)));
        assertThat(storedCalls()).isEqualTo(30);
        if (store.dialect() == CallLogDialect.POSTGRESQL) { // H2 keeps attempts in the record's JSON only
            assertThat(count("sb_call_attempts")).isEqualTo(40);
        }
    }

    @Test
    void statsAggregateRequestsErrorsLatencyTokensAndCostPerGroupAndBucket() {
        Instant from = Instant.parse("2025-08-15T10:00:00Z");
        List<CallStatsRow> rows = store.stats(new CallStatsQuery(CallStatsQuery.GroupBy.DEPLOYMENT, CallStatsQuery.Bucket.HOUR,
                from, from.plusSeconds(7200), null, null, null));
        assertThat(rows).extracting(CallStatsRow::group).containsExactly("support", "triage");
        CallStatsRow support = rows.get(0);
        assertThat(support.bucketStart()).isEqualTo(from);
        assertThat(support.requests()).isEqualTo(18);
        assertThat(support.errors()).isEqualTo(3); // calls 4, 9, 14
        assertThat(support.p50LatencyMs()).isEqualTo(90.0);  // latencies 5, 15, …, 175: median of 18 = (85 + 95) / 2
        assertThat(support.p99LatencyMs()).isBetween(170.0, 175.0);
        assertThat(support.inputTokens()).isEqualTo(18 * 100 + 153);
        BigDecimal cost = BigDecimal.ZERO;
        for (CallRecord r : records.subList(0, 18)) {
            cost = r.costUsd() == null ? cost : cost.add(r.costUsd());
        }
        assertThat(support.costUsd()).isEqualByComparingTo(cost);

        List<CallStatsRow> byMinute = store.stats(new CallStatsQuery(CallStatsQuery.GroupBy.MODEL, CallStatsQuery.Bucket.MINUTE,
                from, from.plusSeconds(180), null, null, null));
        assertThat(byMinute).extracting(r -> r.bucketStart() + " " + r.group() + " " + r.requests())
                .containsExactly("2025-08-15T10:00:00Z gpt-4o 1", "2025-08-15T10:01:00Z claude-3-5-haiku 1", "2025-08-15T10:02:00Z gpt-4o 1");
        List<CallStatsRow> byDay = store.stats(new CallStatsQuery(CallStatsQuery.GroupBy.PROVIDER, CallStatsQuery.Bucket.DAY,
                from.minusSeconds(86_400), from.plusSeconds(86_400), "support", null, null));
        assertThat(byDay).extracting(r -> r.group() + " " + r.requests() + " " + r.errors())
                .containsExactly("anthropic 9 1", "openai 9 2");
        assertThat(byDay.get(0).bucketStart()).isEqualTo(Instant.parse("2025-08-15T00:00:00Z"));
    }

    @Test
    void retentionDeletesOldCallsWithTheirAttemptsAndMetadata() throws Exception {
        assertThat(store.deleteStartedBefore(LogRecords.T0.plusSeconds(600))).isEqualTo(10);
        assertThat(storedCalls()).isEqualTo(20);
        if (store.dialect() == CallLogDialect.POSTGRESQL) {
            assertThat(count("sb_call_attempts")).isEqualTo(40 - 14);
        }
        assertThat(store.find("call_09")).isEmpty();
        assertThat(store.find("call_10")).isPresent();
    }

    @Test
    void theSchemaIsMigratedOnce() throws Exception {
        try (JdbcCallLogStore again = JdbcCallLogStore.builder(ds).build()) {
            assertThat(again.find("call_01")).isPresent();
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM sb_schema_migrations WHERE component = 'call_log'")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            assertThat(versions).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, CallLogSchema.latest()).boxed().toList());
        }
    }

    /** How many calls the database holds: rows of {@code sb_calls}, or on the embedded databases calls in blocks. */
    long storedCalls() throws Exception {
        if (store.dialect() == CallLogDialect.POSTGRESQL) {
            return count("sb_calls");
        }
        assertThat(count("sb_calls")).as("schema-3 rows on an embedded database").isZero();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(calls), 0) FROM sb_call_blocks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long count(String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> ids(CallLogPage p) {
        return p.records().stream().map(CallRecord::id).toList();
    }

    @SuppressWarnings("unchecked")
    static CallLogFilter with(CallLogFilter f, String what, Object v) {
        return new CallLogFilter(what.equals("from") ? (Instant) v : f.from(), what.equals("to") ? (Instant) v : f.to(), f.deployment(),
                what.equals("variant") ? (String) v : f.variant(), what.equals("provider") ? (String) v : f.provider(),
                what.equals("model") ? (String) v : f.model(), f.status(), what.equals("origin") ? (String) v : f.origin(),
                what.equals("trace_id") ? (String) v : f.traceId(), f.text(),
                what.equals("metadata") ? (Map<String, String>) v : f.metadata(),
                what.equals("min_latency_ms") ? (Long) v : f.minLatencyMs(), f.limit(), f.cursor());
    }
}
