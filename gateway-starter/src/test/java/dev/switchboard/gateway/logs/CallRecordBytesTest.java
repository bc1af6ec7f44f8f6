package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records part of a version 2 block ({@link CallRecordBytes}): every field of a record comes back as it was,
 * values the keys hold cut short included; damaged bytes are refused, not misread; and blocks of version 1 (record
 * JSON, a fixture written by the gateway before version 2) are still read and searched.
 */
class CallRecordBytesTest {
    @TempDir
    Path dir;

    private static final String LONG = "x".repeat(CallLogRows.SHORT) + "-and-more";

    /** Records with every optional field set and unset, and values that do not fit the keys as they are. */
    private static List<CallRecord> edgeCases() {
        Instant t0 = Instant.parse("2026-11-30T17:00:00.123456789Z");
        CallRecord full = CallRecord.builder("call_full").traceId("0af7651916cd43dd8448eb211c80319c").spanId("b7ad6b7169203331")
                .startedAt(t0).endedAt(t0.plusNanos(1_234_567_891)).origin("gateway").deployment("support.answer")
                .variant("b").version("v7").streaming(true).provider("openai").model("gpt-4o-mini").responseModel("gpt-4o-mini-2024-07-18")
                .attempts(List.of(new AttemptRecord("openai", "gpt-4o-mini", "failure", 503, "upstream overloaded", 12),
                        new AttemptRecord("anthropic", "claude-3-5-haiku", "success", 200, null, 230)))
                .status(CallRecord.Status.SUCCESS).finishReason("stop").latencyMs(251).timeToFirstTokenMs(40L)
                .inputTokens(1_000_000_000_000L).outputTokens(8).cachedTokens(3).costUsd(new BigDecimal("0.000120"))
                .context(ordered("country", "DE", "tier", "gold")).metadata(ordered("user", "u-1", "empty", ""))
                .requestMessages(List.of(new MessageRecord("system", "Be brief."), new MessageRecord("user", "Ünïcödé 😀 \"q\"\n\\")))
                .reply("Fine.").build();
        CallRecord bare = CallRecord.builder("call_bare").startedAt(Instant.parse("1969-12-31T23:59:59.999999500Z"))
                .status(CallRecord.Status.ERROR).latencyMs(-1).build();
        CallRecord cut = full.toBuilder().id("call_" + LONG).traceId("t\0race").deployment(LONG).variant(LONG + "v")
                .provider("p\0").model(LONG + "m").origin(LONG + "o").version(LONG).responseModel(LONG + "r")
                .costUsd(new BigDecimal("1E+3")).requestMessages(List.of()).reply(null).timeToFirstTokenMs(null)
                .status(CallRecord.Status.ERROR).errorType("timeout").errorMessage("no answer in 30 s").build();
        CallRecord noMessages = full.toBuilder().id("call_nomsg").requestMessages(null).context(Map.of()).metadata(Map.of())
                .startedAt(t0.plusNanos(499)).endedAt(t0.minusSeconds(5)).costUsd(null).build();
        return List.of(full, bare, cut, noMessages);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void everyFieldComesBackAsItWasIncludingValuesTheKeysHoldCutShort() {
        List<CallRecord> records = edgeCases();
        CallBlock.Encoded e = CallBlock.encode(records);
        CallBlock keys = CallBlock.decode(e.keys());
        byte[] bytes = CallBlock.unpack(e.records());
        assertThat(keys.recordsAreJson()).isFalse();
        for (int i = 0; i < records.size(); i++) {
            assertThat(keys.record(bytes, i)).as("record %d", i).isEqualTo(records.get(i));
        }
        assertThat(keys.string(2, CallBlock.DEPLOYMENT)).as("the key, cut").hasSize(CallLogRows.SHORT);
        assertThat(keys.record(bytes, 2).costUsd()).as("scale kept").isEqualTo(new BigDecimal("1E+3")).hasToString("1E+3");
    }

    @Test
    void aRecordIsFarSmallerThanItsJson() {
        CallRecord r = edgeCases().get(0);
        CallBlock.Builder b = new CallBlock.Builder();
        b.add(r);
        CallBlock keys = CallBlock.decode(b.finish().keys());
        assertThat(keys.length[0]).isLessThan(CallRecordJson.write(r).getBytes(StandardCharsets.UTF_8).length / 2);
    }

    @Test
    void damagedBytesAreReportedNotMisread() {
        CallBlock.Encoded e = CallBlock.encode(edgeCases());
        CallBlock keys = CallBlock.decode(e.keys());
        byte[] bytes = CallBlock.unpack(e.records());
        for (int cut = 1; cut < keys.length[0]; cut++) { // the first record's bytes, every length short of whole
            byte[] shortened = Arrays.copyOf(bytes, keys.offset[0] + keys.length[0] - cut);
            assertThatThrownBy(() -> keys.record(shortened, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call block record");
        }
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            byte[] noise = bytes.clone();
            int at = keys.offset[1] + random.nextInt(keys.length[1]);
            noise[at] = (byte) random.nextInt(256);
            try {
                CallRecord r = keys.record(noise, 1);
                assertThat(r.id()).isEqualTo("call_bare"); // a damaged record that still reads keeps what the keys hold
            } catch (IllegalStateException expected) {
                assertThat(expected).hasMessageContaining("call block");
            }
        }
    }

    @Test
    void aVersionOneBlockIsStillRead() {
        List<CallRecord> written = fixtureRecords();
        CallBlock keys = CallBlock.decode(resource("block-v1.keys"));
        byte[] json = CallBlock.unpack(resource("block-v1.records"));
        assertThat(keys.recordsAreJson()).isTrue();
        assertThat(keys.size).isEqualTo(written.size());
        for (int i = 0; i < written.size(); i++) {
            assertThat(keys.record(json, i)).isEqualTo(written.get(i));
        }
    }

    @Test
    void aStoreHoldingVersionOneAndTwoBlocksSearchesBothAsTheReferenceDoes() throws Exception {
        List<CallRecord> old = fixtureRecords();
        List<CallRecord> fresh = new ArrayList<>();
        for (CallRecord r : old) { // the same calls a day later, written by this code
            fresh.add(r.toBuilder().id(r.id() + "_v2").startedAt(r.startedAt().plusSeconds(86_400))
                    .endedAt(r.endedAt().plusSeconds(86_400)).build());
        }
        InMemoryCallLogStore reference = new InMemoryCallLogStore(1_000);
        reference.write(old);
        reference.write(fresh);
        DataSource ds = LogStoreSqliteTest.sqlite(dir.resolve("mixed.db"));
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            try (Connection c = ds.getConnection();
                 PreparedStatement block = c.prepareStatement("INSERT INTO sb_call_blocks (id, first_us, last_us, calls, key_data) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement records = c.prepareStatement("INSERT INTO sb_call_block_records (block_id, record_data) VALUES (?, ?)")) {
                CallBlock keys = CallBlock.decode(resource("block-v1.keys"));
                block.setLong(1, 1);
                block.setLong(2, Arrays.stream(keys.startedUs).min().orElseThrow());
                block.setLong(3, Arrays.stream(keys.startedUs).max().orElseThrow());
                block.setInt(4, keys.size);
                block.setBytes(5, resource("block-v1.keys"));
                block.executeUpdate();
                records.setLong(1, 1);
                records.setBytes(2, resource("block-v1.records"));
                records.executeUpdate();
            }
            store.write(fresh);
            List<CallLogFilter> filters = List.of(CallLogFilter.all(), CallLogFilter.all().withText("BACK\\SLASH"),
                    CallLogFilter.all().withText("straße"), metadata(Map.of("k\"ey", "vä\"l")), metadata(Map.of("n", "4")),
                    metadata(Map.of("n", "4", "k\"ey", "other")),
                    CallLogFilter.all().withStatus(CallRecord.Status.ERROR));
            for (CallLogFilter f : filters) {
                List<CallRecord> expected = reference.search(f.page(1_000, null)).records();
                List<CallRecord> got = store.search(f.page(1_000, null)).records();
                assertThat(got).as("%s", f).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(expected).as("%s selects something", f).isNotEmpty();
            }
            for (CallRecord r : old) {
                assertThat(store.find(r.id())).contains(r);
            }
        }
    }

    private static CallLogFilter metadata(Map<String, String> m) {
        CallLogFilter a = CallLogFilter.all();
        return new CallLogFilter(a.from(), a.to(), a.deployment(), a.variant(), a.provider(), a.model(), a.status(), a.origin(),
                a.traceId(), a.text(), m, a.minLatencyMs(), a.limit(), a.cursor());
    }

    /** The records the fixture's block was written from (one record JSON a line). */
    private static List<CallRecord> fixtureRecords() {
        List<CallRecord> out = new ArrayList<>();
        for (String line : new String(resource("block-v1.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            out.add(CallRecordJson.read(line));
        }
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in = CallRecordBytesTest.class.getResourceAsStream("/calllog/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /calllog/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
