package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded databases' block layout must get right beyond the store contract: blocks of one call and of
 * many, written out of time order (so that their time ranges overlap), texts the byte-level pre-test must not
 * reject (case, non-ASCII, characters JSON escapes), retention inside a block, and a batch looked up again.
 */
class CallBlockStoreTest {
    @TempDir
    Path dir;

    private static final List<String> TEXTS = List.of("plain words", "MiXeD CaSe Words", "quote \" and back\\slash",
            "tab\tand\nnewline", "Ünïcödé straße", "KELVIN \u212A sign", "emoji 😀 here", "İstanbul dotted", "50% off_now");

    /** Calls a second apart, with texts and metadata chosen to trip byte-level tests, in shuffled order. */
    private static List<CallRecord> records(int n, Random random) {
        List<CallRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CallRecord base = LogRecords.record(i % 30);
            String text = TEXTS.get(i % TEXTS.size());
            out.add(base.toBuilder().id(String.format("blk_%04d", i)).startedAt(LogRecords.T0.plusSeconds(i))
                    .endedAt(LogRecords.T0.plusSeconds(i).plusMillis(5))
                    .requestMessages(List.of(new MessageRecord("user", text + " #" + i)))
                    .metadata(Map.of("k\"ey", i % 2 == 0 ? "vä\"l" : "other", "n", String.valueOf(i % 7))).build());
        }
        Collections.shuffle(out, random);
        return out;
    }

    private JdbcCallLogStore sqlite(String name) {
        DataSource ds = LogStoreSqliteTest.sqlite(dir.resolve(name));
        return JdbcCallLogStore.builder(ds).build();
    }

    @Test
    void searchesOverOverlappingBlocksOfEverySizeSelectWhatTheReferenceSelects() throws Exception {
        List<CallRecord> all = records(300, new Random(5));
        InMemoryCallLogStore reference = new InMemoryCallLogStore(1_000);
        reference.write(all);
        try (JdbcCallLogStore store = sqlite("mixed.db")) {
            int at = 0;
            for (int size : List.of(1, 1, 2, 50, 1, 120, 3, 1, 121)) { // shuffled: every block spans most of the range
                store.write(all.subList(at, at + size));
                at += size;
            }
            assertThat(at).isEqualTo(all.size());
            List<CallLogFilter> filters = new ArrayList<>();
            for (String q : List.of("words", "WORDS", "mixed case", "quote \" and", "back\\slash", "tab\tand", "straße", "STRASSE",
                    "ünïcödé", "k", "kelvin k", "😀", "i̇stanbul", "istanbul", "% off_", "#17", "nothing like this")) {
                filters.add(CallLogFilter.all().withText(q));
            }
            filters.add(LogStoreContract.with(CallLogFilter.all(), "metadata", Map.of("k\"ey", "vä\"l")));
            filters.add(LogStoreContract.with(CallLogFilter.all(), "metadata", Map.of("k\"ey", "other", "n", "3")));
            filters.add(LogStoreContract.with(CallLogFilter.all().withText("words"), "min_latency_ms", 150L));
            filters.add(CallLogFilter.all().withDeployment("triage").withStatus(CallRecord.Status.SUCCESS));
            for (CallLogFilter f : filters) {
                for (int limit : List.of(7, 200)) {
                    assertThat(walk(store, f.page(limit, null))).as("%s, pages of %d", f, limit)
                            .isEqualTo(newestFirst(reference.search(f.page(1_000, null))));
                }
            }
        }
    }

    @Test
    void aQuietGatewaysSmallBatchesShareBlocksUpToTheirSize() throws Exception {
        List<CallRecord> all = records(600, new Random(8));
        DataSource ds = LogStoreSqliteTest.sqlite(dir.resolve("quiet.db"));
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            for (int i = 0; i < 500; i += 5) {
                store.write(all.subList(i, i + 5)); // a hundred batches of five
            }
            store.write(all.subList(500, 600)); // larger than what the newest block (245 calls) may still take
            assertThat(walk(store, CallLogFilter.all().page(200, null))).hasSize(600).doesNotHaveDuplicates();
            for (CallRecord r : List.of(all.get(0), all.get(499), all.get(500), all.get(599))) {
                assertThat(store.find(r.id())).contains(r);
            }
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT calls FROM sb_call_blocks ORDER BY id")) {
            List<Integer> sizes = new ArrayList<>();
            while (rs.next()) {
                sizes.add(rs.getInt(1));
            }
            assertThat(sizes).containsExactly(255, 245, 100);
        }
    }

    @Test
    void retentionRemovesTheOldCallsOfABlockAndKeepsItsNewOnes() throws Exception {
        List<CallRecord> all = records(40, new Random(9));
        try (JdbcCallLogStore store = sqlite("retention.db")) {
            store.write(all);
            assertThat(store.deleteStartedBefore(LogRecords.T0.plusSeconds(15))).isEqualTo(15);
            assertThat(walk(store, CallLogFilter.all().page(200, null))).hasSize(25).allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo("blk_0015"));
            assertThat(store.find("blk_0014")).isEmpty();
            assertThat(store.find("blk_0015")).isPresent();
            assertThat(store.deleteStartedBefore(LogRecords.T0.plusSeconds(15))).isZero();
        }
    }

    @Test
    void aBatchWrittenAgainIsLookedUpAndStoredOnce() throws Exception {
        List<CallRecord> all = records(20, new Random(2));
        DataSource ds = LogStoreSqliteTest.sqlite(dir.resolve("again.db"));
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            store.write(all.subList(0, 10));
            store.write(all.subList(5, 20)); // five of them again, found through the recent ids
            assertThat(store.ingest(all)).isZero();
        }
        try (JdbcCallLogStore reopened = JdbcCallLogStore.builder(ds).build()) { // no recent ids: only a lookup finds them
            assertThat(reopened.ingest(all.subList(0, 3))).isZero();
            assertThat(walk(reopened, CallLogFilter.all().page(200, null))).hasSize(20).doesNotHaveDuplicates();
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(calls) FROM sb_call_blocks")) {
            rs.next();
            assertThat(rs.getLong(1)).as("blocks: the second batch's new calls joined the first, small block").isEqualTo(1);
            assertThat(rs.getLong(2)).as("calls").isEqualTo(20);
        }
    }

    @Test
    void statisticsAddUpTheSameWhetherCallsComeInOneBatchOrInMany() throws Exception {
        List<CallRecord> all = records(400, new Random(13)); // start over ~7 minutes: rows shared by many batches
        List<List<CallStatsRow>> answers = new ArrayList<>();
        for (List<Integer> batches : List.of(List.of(400), List.of(1, 7, 50, 2, 140, 200))) {
            try (JdbcCallLogStore store = sqlite("stats-" + batches.size() + ".db")) {
                int at = 0;
                for (int size : batches) {
                    store.write(all.subList(at, at + size));
                    at += size;
                }
                List<CallStatsRow> rows = new ArrayList<>();
                for (CallStatsQuery.Bucket bucket : CallStatsQuery.Bucket.values()) {
                    rows.addAll(store.stats(new CallStatsQuery(CallStatsQuery.GroupBy.MODEL, bucket,
                            LogRecords.T0.minusSeconds(86_400), LogRecords.T0.plusSeconds(86_400), null, null, null)));
                }
                answers.add(rows);
            }
        }
        assertThat(answers.get(0)).isNotEmpty();
        assertThat(answers.get(0).stream().filter(r -> r.bucketStart().equals(LogRecords.T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS)))
                .mapToLong(CallStatsRow::requests).sum()).as("the day's rows count every call").isEqualTo(400);
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }

    @Test
    void gatewayCallIdsNameTheirStartAndEveryIdIsFound() throws Exception {
        String id = dev.switchboard.runtime.engine.Engine.newCallId();
        long nowUs = System.currentTimeMillis() * 1_000L;
        assertThat(CallBlockSearch.startHint(id)).isBetween(nowUs - 5_000_000L, nowUs);
        assertThat(CallBlockSearch.startHint("call_0123")).isEqualTo(Long.MIN_VALUE);
        assertThat(CallBlockSearch.startHint("call_zzzzzzzzzzz0123456789abcdef0")).isEqualTo(Long.MIN_VALUE);
        CallRecord base = LogRecords.record(1);
        // an id naming a time an hour after its call started: found by the full scan after the near one misses
        String misleading = "call_" + Long.toHexString(LogRecords.T0.toEpochMilli() + 3_600_000L) + "8000000000000001";
        List<CallRecord> calls = List.of(base.toBuilder().id(misleading).build(), base.toBuilder().id("custom-id").build(),
                base.toBuilder().id("call_" + Long.toHexString(LogRecords.T0.toEpochMilli()) + "8000000000000002").build());
        try (JdbcCallLogStore store = sqlite("ids.db")) {
            store.write(calls);
            for (CallRecord r : calls) {
                assertThat(store.find(r.id())).contains(r);
            }
            assertThat(store.find("call_" + Long.toHexString(LogRecords.T0.toEpochMilli()) + "8000000000000003")).isEmpty();
        }
    }

    @Test
    void batchesGatheredCallByCallAreStoredByteForByteAsBatchesEncodedFromTheirRecords() throws Exception {
        List<CallRecord> all = records(700, new Random(11));
        CallRecord stored = all.get(5).toBuilder().reply("the id of a call stored before").build();
        CallRecord twin = all.get(570).toBuilder().reply("the id of a call in the same batch").build();
        // a new block, a small block, a batch merged into it, a batch that fails once and is written again, a batch
        // with ids stored before and twice in itself, a last new block
        List<List<CallRecord>> batches = List.of(all.subList(0, 300), all.subList(300, 302), all.subList(302, 310),
                all.subList(310, 560), concat(all.subList(560, 600), List.of(stored, twin)), all.subList(600, 700));
        FailingDataSource gatheredDs = new FailingDataSource(dir.resolve("gathered.db"));
        DataSource plainDs = LogStoreSqliteTest.sqlite(dir.resolve("plain.db"));
        try (JdbcCallLogStore gathered = JdbcCallLogStore.builder(gatheredDs).build();
             JdbcCallLogStore plain = JdbcCallLogStore.builder(plainDs).build()) {
            for (int b = 0; b < batches.size(); b++) {
                List<CallRecord> batch = batches.get(b);
                try (CallLogStore.Batch gb = gathered.newBatch()) {
                    assertThat(gb.getClass().getSimpleName()).isEqualTo("GatheredBatch");
                    batch.forEach(gb::add);
                    assertThat(gb.size()).isEqualTo(batch.size());
                    if (b == 3) {
                        gatheredDs.failNext = true;
                        assertThatThrownBy(gb::write).isInstanceOf(java.sql.SQLException.class);
                    }
                    gb.write();
                }
                plain.write(List.copyOf(batch));
            }
            try (CallLogStore.Batch given = gathered.newBatch()) {
                all.forEach(given::add); // gathered, then given up: the next batch is of other records
            }
            try (CallLogStore.Batch last = gathered.newBatch()) {
                last.add(all.get(699).toBuilder().id("blk_late").build());
                last.write();
            }
            plain.write(List.of(all.get(699).toBuilder().id("blk_late").build()));
            assertThat(rows(gatheredDs, "SELECT b.first_us, b.last_us, b.calls, b.key_data, r.record_data FROM sb_call_blocks b"
                    + " JOIN sb_call_block_records r ON r.block_id = b.id ORDER BY b.id"))
                    .hasSize(4).containsExactlyElementsOf(rows(plainDs, "SELECT b.first_us, b.last_us, b.calls, b.key_data,"
                            + " r.record_data FROM sb_call_blocks b JOIN sb_call_block_records r ON r.block_id = b.id ORDER BY b.id"));
            String stats = "SELECT stats_key, requests, errors, input_tokens, output_tokens, cost_usd, latency FROM sb_call_stats ORDER BY stats_key";
            assertThat(rows(gatheredDs, stats)).isNotEmpty().containsExactlyElementsOf(rows(plainDs, stats));
            assertThat(walk(gathered, CallLogFilter.all().page(200, null))).hasSize(701).doesNotHaveDuplicates().contains("blk_late");
            assertThat(gathered.find(all.get(5).id())).hasValue(all.get(5)); // neither was stored over the first
            assertThat(gathered.find(all.get(570).id())).hasValue(all.get(570));
        }
    }

    @Test
    void aSecondBatchWhileOneIsOpenKeepsItsRecordsAndARecordThatCannotBeEncodedLeavesTheBatchAsItWas() throws Exception {
        List<CallRecord> all = records(6, new Random(12));
        DataSource ds = LogStoreSqliteTest.sqlite(dir.resolve("two.db"));
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            try (CallLogStore.Batch first = store.newBatch(); CallLogStore.Batch second = store.newBatch()) {
                assertThat(second.getClass().getSimpleName()).as("the block being gathered is the first's").isEqualTo("RecordBatch");
                first.add(all.get(0));
                // its JSON is written, then its start does not fit the block's microseconds
                CallRecord unencodable = all.get(1).toBuilder().startedAt(java.time.Instant.MAX).build();
                assertThatThrownBy(() -> first.add(unencodable)).isInstanceOf(ArithmeticException.class);
                first.add(all.get(2));
                second.add(all.get(3));
                assertThat(first.size()).isEqualTo(2);
                first.write();
                second.write();
            }
            assertThat(walk(store, CallLogFilter.all())).containsExactlyInAnyOrder(all.get(0).id(), all.get(2).id(), all.get(3).id());
            assertThat(store.find(all.get(2).id())).hasValue(all.get(2));
        }
    }

    /** A SQLite file database with the gateway's settings whose next connection fails when asked to. */
    private static final class FailingDataSource extends org.sqlite.SQLiteDataSource {
        volatile boolean failNext;

        FailingDataSource(Path file) {
            super(new org.sqlite.SQLiteConfig(CallLogDatabase.sqliteSettings()));
            setUrl("jdbc:sqlite:" + file);
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            if (failNext) {
                failNext = false;
                throw new java.sql.SQLException("database down (test)");
            }
            return super.getConnection();
        }
    }

    private static List<CallRecord> concat(List<CallRecord> a, List<CallRecord> b) {
        List<CallRecord> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Each row of {@code sql} on {@code ds} as a list of its values (byte arrays as lists, so that rows compare by content). */
    private static List<List<Object>> rows(DataSource ds, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof byte[] bytes ? java.util.Arrays.toString(bytes) : v);
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void keysComeBackAsEncoded() {
        List<CallRecord> all = records(12, new Random(4));
        CallBlock.Encoded e = CallBlock.encode(all);
        CallBlock keys = CallBlock.decode(e.keys());
        assertThat(keys.size).isEqualTo(12);
        byte[] bytes = CallBlock.unpack(e.records());
        assertThat(e.records().length).as("compressed").isLessThan(bytes.length / 2);
        for (int i = 0; i < all.size(); i++) {
            CallRecord r = all.get(i);
            assertThat(keys.record(bytes, i)).isEqualTo(r);
            assertThat(keys.string(i, CallBlock.ID)).isEqualTo(r.id());
            assertThat(keys.string(i, CallBlock.DEPLOYMENT)).isEqualTo(r.deployment());
            assertThat(keys.string(i, CallBlock.TRACE)).isEqualTo(r.traceId());
            assertThat(keys.cost(i)).isEqualTo(r.costUsd());
            assertThat(keys.error[i]).isEqualTo(r.status() == CallRecord.Status.ERROR);
            assertThat(keys.startedUs[i]).isEqualTo(CallIndexRows.micros(r.startedAt()));
        }
        assertThat(e.firstUs()).isEqualTo(CallIndexRows.micros(LogRecords.T0));
        assertThat(e.lastUs()).isEqualTo(CallIndexRows.micros(LogRecords.T0.plusSeconds(11)));
    }

    @Test
    void aBuilderReusedFromBlockToBlockEncodesEachAsFreshMemoryWould() {
        CallBlock.Builder scratch = new CallBlock.Builder();
        Random random = new Random(9);
        for (int size : new int[] {40, 3, 120, 1, 60}) { // larger and smaller than the one before: nothing of it is left over
            List<CallRecord> batch = records(size, random);
            CallBlock.Encoded reused = CallBlock.encode(batch, scratch);
            CallBlock.Encoded fresh = CallBlock.encode(batch);
            assertThat(reused.keys()).isEqualTo(fresh.keys());
            assertThat(reused.records()).isEqualTo(fresh.records());
            CallBlock keys = CallBlock.decode(reused.keys());
            byte[] bytes = CallBlock.unpack(reused.records());
            assertThat(keys.size).isEqualTo(size);
            assertThat(keys.record(bytes, size - 1)).isEqualTo(batch.get(size - 1));
        }
    }

    /** The ids of {@code p}'s records by start, newest first (the reference store lists them as written). */
    private static List<String> newestFirst(CallLogPage p) {
        return p.records().stream().sorted(java.util.Comparator.comparing(CallRecord::startedAt).thenComparing(CallRecord::id).reversed())
                .map(CallRecord::id).toList();
    }

    @Test
    void damagedRecordsAreReportedNotMisread() {
        byte[] packed = CallBlock.encode(records(3, new Random(1))).records();
        assertThatThrownBy(() -> CallBlock.unpack(java.util.Arrays.copyOf(packed, packed.length - 9)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call block records");
        byte[] unknown = packed.clone();
        unknown[0] = 7;
        assertThatThrownBy(() -> CallBlock.unpack(unknown)).isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown form (7)");
        assertThatThrownBy(() -> CallBlock.decode(new byte[] {1, 0, 0})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cut short");
    }

    private static List<String> walk(JdbcCallLogStore store, CallLogFilter first) {
        List<String> out = new ArrayList<>();
        CallLogFilter f = first;
        for (int pages = 0; pages < 1_000; pages++) {
            CallLogPage p = store.search(f);
            out.addAll(LogStoreContract.ids(p));
            if (p.nextCursor() == null) {
                return out;
            }
            f = f.page(f.limit(), p.nextCursor());
        }
        throw new AssertionError("more than 1,000 pages");
    }
}
