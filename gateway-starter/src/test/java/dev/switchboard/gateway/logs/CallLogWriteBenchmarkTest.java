package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.MessageRecord;
import dev.switchboard.runtime.engine.Engine;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What writing the call log costs in CPU per record on an embedded store (SQLite, the default, or H2 with
 * {@code -Dcalllog.benchmark.db=h2}), by thread: the writer thread's {@link JdbcCallLogStore#write} (of which
 * {@link CallRecordJson#write}), H2's background threads (page serialization, file writes; SQLite has none), and the
 * rest of the process (garbage collection and the JIT), plus the bytes the writer thread allocates. Records look
 * like a gateway's (time-ordered call ids, two messages, two metadata entries, one or two attempts; started within
 * the last second), written in batches of {@value #BATCH}; six rounds ({@code -Dcalllog.benchmark.rounds=N} for more) of
 * {@value #RECORDS} records, the first ones
 * warming up. Numbers go to standard output and docs/benchmarks.md.
 *
 * <p>A benchmark, not part of the default run: {@code mvn -pl gateway-starter -am test -Dtest=CallLogWriteBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcalllog.benchmark=true} (add {@code -Dsb.test.jvm=-Xmx512m} for the
 * gateway's heap). Its only assertion is that every record was stored.
 */
class CallLogWriteBenchmarkTest {
    static final int RECORDS = 20_000;
    static final int BATCH = 500;
    @TempDir
    Path dir;

    static List<CallRecord> records(int from, int n, Random rnd) {
        String[] deployments = {"support", "greet", "summarize"};
        String[] models = {"gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "command-r"};
        List<CallRecord> out = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = from; i < from + n; i++) {
            boolean error = rnd.nextInt(20) == 0;
            String model = models[rnd.nextInt(models.length)];
            long latency = 200 + rnd.nextInt(2500);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("ticket", "T-" + i);
            meta.put("team", rnd.nextBoolean() ? "billing" : "shipping");
            String question = "Question " + i + " about order " + Long.toHexString(rnd.nextLong());
            List<AttemptRecord> attempts = error
                    ? List.of(new AttemptRecord("fake", model, "failure", 503, "fake answered HTTP 503", latency / 2),
                            new AttemptRecord("fake", model, "failure", 503, "fake answered HTTP 503", latency / 2))
                    : List.of(new AttemptRecord("fake", model, "success", 200, null, latency));
            Instant started = now.minusMillis(rnd.nextInt(1000));
            out.add(CallRecord.builder(Engine.newCallId()).traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                    .startedAt(started).endedAt(started.plusMillis(latency)).origin("gateway")
                    .deployment(deployments[rnd.nextInt(deployments.length)]).variant("default").version("v1")
                    .provider("fake").model(model).responseModel(model).attempts(attempts)
                    .status(error ? CallRecord.Status.ERROR : CallRecord.Status.SUCCESS)
                    .errorType(error ? "503" : null).errorMessage(error ? "fake answered HTTP 503" : null)
                    .finishReason(error ? null : "stop").latencyMs(latency).inputTokens(20 + rnd.nextInt(400)).outputTokens(5 + rnd.nextInt(300))
                    .costUsd(BigDecimal.valueOf(rnd.nextInt(900) + 1, 6)).context(Map.of()).metadata(meta)
                    .requestMessages(List.of(new MessageRecord("system", "You answer for ACME."), new MessageRecord("user", question)))
                    .reply(error ? null : "Here is what I know about " + question).build());
        }
        return out;
    }

    private static Map<Long, Long> threadCpu(java.lang.management.ThreadMXBean mx) {
        Map<Long, Long> m = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            m.put(id, mx.getThreadCpuTime(id));
        }
        return m;
    }

    @Test
    void writingCostsThisMuchCpuPerRecord() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("calllog.benchmark"), "a benchmark: run with -Dcalllog.benchmark=true");
        boolean onH2 = "h2".equals(System.getProperty("calllog.benchmark.db", "sqlite"));
        javax.sql.DataSource ds;
        if (onH2) {
            JdbcDataSource h2ds = new JdbcDataSource();
            h2ds.setURL("jdbc:h2:file:" + dir.resolve("calls") + ";AUTO_SERVER=FALSE");
            ds = h2ds;
        } else {
            // pooled as the gateway's store is (CallLogDatabase): no connection opened per batch
            com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
            hc.setJdbcUrl("jdbc:sqlite:" + dir.resolve("calls.db"));
            hc.setDataSourceProperties(CallLogDatabase.sqliteSettings());
            hc.setMaximumPoolSize(2);
            ds = new com.zaxxer.hikari.HikariDataSource(hc);
        }
        System.out.println("store: " + (onH2 ? "H2 file" : "SQLite file (WAL)"));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Random rnd = new Random(1);
        try (Connection keepOpen = ds.getConnection(); JdbcCallLogStore store = JdbcCallLogStore.builder(ds)
                .closing(ds instanceof AutoCloseable pool ? pool : null).build()) {
            int rounds = Integer.getInteger("calllog.benchmark.rounds", 6);
            for (int round = 0; round < rounds; round++) {
                List<CallRecord> recs = records(round * RECORDS, RECORDS, rnd);
                long j0 = mx.getCurrentThreadCpuTime();
                for (CallRecord r : recs) {
                    CallRecordJson.write(r);
                }
                long json = mx.getCurrentThreadCpuTime() - j0;
                Map<Long, Long> before = threadCpu(mx);
                long p0 = os.getProcessCpuTime();
                long a0 = mx.getCurrentThreadAllocatedBytes();
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < recs.size(); i += BATCH) {
                    List<CallRecord> batch = recs.subList(i, Math.min(recs.size(), i + BATCH));
                    try (CallLogStore.Batch b = store.newBatch()) { // as the call log's writer fills and writes them
                        batch.forEach(b::add);
                        b.write();
                    }
                }
                long writer = mx.getCurrentThreadCpuTime() - t0;
                long allocated = mx.getCurrentThreadAllocatedBytes() - a0;
                Thread.sleep(1_500); // H2 stores the last changes in the background within a second
                long process = os.getProcessCpuTime() - p0;
                Map<Long, Long> after = threadCpu(mx);
                long h2 = 0;
                long javaThreads = 0;
                for (Map.Entry<Long, Long> e : after.entrySet()) {
                    long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                    javaThreads += d;
                    java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
                    if (info != null && (info.getThreadName().startsWith("H2") || info.getThreadName().startsWith("MVStore"))) {
                        h2 += d;
                    }
                }
                System.out.printf("round %d: writer thread %.1f us/record (record JSON alone %.1f), H2 background %.1f, GC+JIT+other %.1f,"
                                + " process %.1f; writer allocates %,d bytes/record%n", round, writer / 1e3 / RECORDS, json / 1e3 / RECORDS,
                        h2 / 1e3 / RECORDS, (process - javaThreads) / 1e3 / RECORDS, process / 1e3 / RECORDS, allocated / RECORDS);
            }
            try (Connection c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COALESCE(SUM(calls), 0) FROM sb_call_blocks")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo((long) rounds * RECORDS);
            }
        }
    }
}
