package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.telemetry.Await;
import dev.switchboard.runtime.telemetry.OtelHarness;
import dev.switchboard.runtime.telemetry.ScriptProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallLogWriterTest {
    static final String YAML = """
            providers: { p: { type: script } }
            deployments:
              greet: { model: p/m, messages: [{ role: user, content: "Hello {{name}}" }] }
            """;

    /** A store whose writes wait for a latch (or fail), recording batch sizes. */
    static final class GatedStore implements CallLogStore {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        volatile boolean alwaysFail;
        volatile boolean closed;

        @Override
        public void write(List<CallRecord> records) throws Exception {
            writes.incrementAndGet();
            entered.countDown();
            if (!open.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test store never opened");
            }
            if (alwaysFail || failuresLeft.getAndDecrement() > 0) {
                throw new java.sql.SQLException("database down");
            }
            batches.add(records.size());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static CallRecord rec(int i) {
        return CallRecord.builder("call_" + i).startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build();
    }

    private static List<CompletableFuture<CallResult>> calls(Switchboard sb, int n) {
        List<CompletableFuture<CallResult>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sb.engine().call(Invocation.builder("greet").variables(Map.of("name", "n" + i)).build()));
        }
        return out;
    }

    /** A store with batches of its own: each keeps only its records' ids, and logs what the writer does with it. */
    static final class OwnBatchStore implements CallLogStore {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> stored = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        volatile boolean failToStart;

        @Override
        public void write(List<CallRecord> records) {
            events.add("write(list of " + records.size() + ")");
            records.forEach(r -> stored.add(r.id()));
        }

        @Override
        public Batch newBatch() {
            if (failToStart) {
                throw new IllegalStateException("no batch today");
            }
            int b = batches.incrementAndGet();
            List<String> ids = new ArrayList<>();
            return new Batch() {
                @Override
                public void add(CallRecord record) {
                    if (record.id().endsWith("3")) {
                        throw new IllegalStateException("cannot take this one");
                    }
                    ids.add(record.id());
                }

                @Override
                public int size() {
                    return ids.size();
                }

                @Override
                public void write() throws Exception {
                    events.add("batch " + b + " write " + ids);
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new java.sql.SQLException("database down");
                    }
                    stored.addAll(ids);
                }

                @Override
                public void close() {
                    events.add("batch " + b + " closed");
                }
            };
        }
    }

    @Test
    void aStoresOwnBatchIsFilledWrittenAgainAfterAFailureAndClosedAndARecordItCannotTakeIsDroppedAndCounted() {
        OwnBatchStore store = new OwnBatchStore();
        store.failuresLeft.set(1);
        CallLogWriter w = CallLogWriter.builder(store).batchSize(4).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
        for (int i = 0; i < 4; i++) {
            assertThat(w.offer(rec(i))).isTrue();
        }
        assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
        for (int i = 4; i < 10; i++) {
            assertThat(w.offer(rec(i))).isTrue();
        }
        assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
        w.close();
        assertThat(store.stored).containsExactly("call_0", "call_1", "call_2", "call_4", "call_5", "call_6", "call_7", "call_8", "call_9");
        assertThat(w.droppedCount()).as("call_3, which its batch could not take").isEqualTo(1);
        assertThat(w.writtenCount()).isEqualTo(9);
        // the first batch failed once and was written again, the same batch; every batch was closed once, after its write
        assertThat(store.events.get(0)).startsWith("batch 1 write [call_0");
        assertThat(store.events.subList(1, 3)).containsExactly(store.events.get(0), "batch 1 closed");
        assertThat(store.events).noneMatch(e -> e.startsWith("write(list"));
        assertThat(store.events.stream().filter(e -> e.endsWith("closed")).count()).isEqualTo(store.batches.get());
    }

    @Test
    void aStoreThatCannotStartABatchHasItsRecordsWrittenAsAList() {
        OwnBatchStore store = new OwnBatchStore();
        store.failToStart = true;
        CallLogWriter w = CallLogWriter.builder(store).build();
        assertThat(w.offer(rec(1))).isTrue();
        assertThat(w.offer(rec(3))).isTrue(); // the list batch takes what the store's own would not
        assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
        w.close();
        assertThat(store.stored).containsExactly("call_1", "call_3");
        assertThat(store.events).allMatch(e -> e.startsWith("write(list"));
        assertThat(w.droppedCount()).isZero();
    }

    @Test
    void aStuckStoreNeverHoldsUpCallsAndOverflowIsDroppedAndCounted() throws Exception {
        GatedStore store = new GatedStore();
        CallLog log = CallLog.builder(store).capacity(2).closeTimeout(Duration.ofSeconds(5)).build();
        try (Switchboard sb = ScriptProvider.builder(YAML).callLog(log).build()) {
            calls(sb, 1).get(0).join();
            assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the writer is now stuck in the store
            List<CompletableFuture<CallResult>> more = calls(sb, 9);
            // every call completed while the store is still blocked
            assertThat(more).allSatisfy(f -> assertThat(f).isCompleted());
            Await.until(() -> log.droppedCount() == 7);
            assertThat(log.writer().queued()).isEqualTo(2);
            store.open.countDown();
            assertThat(log.writer().flush(Duration.ofSeconds(5))).isTrue();
            assertThat(log.writer().writtenCount()).isEqualTo(3);
        }
        assertThat(store.closed).isTrue();
    }

    @Test
    void aFailingStoreIsRetriedWithBackoffThenItsBatchIsDroppedAndCounted() {
        GatedStore store = new GatedStore();
        store.alwaysFail = true;
        store.open.countDown();
        CallLog log = CallLog.builder(store).maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
        try (Switchboard sb = ScriptProvider.builder(YAML).callLog(log).build()) {
            assertThat(calls(sb, 4)).allSatisfy(f -> assertThat(f.join().response().text()).isEqualTo("ok"));
            Await.until(() -> log.droppedCount() == 4);
            assertThat(store.writes.get()).isGreaterThanOrEqualTo(3).isEqualTo(3 * (store.writes.get() / 3));
            assertThat(log.writer().writtenCount()).isZero();
        }
    }

    @Test
    void aStoreThatRecoversWithinTheRetriesLosesNothing() {
        GatedStore store = new GatedStore();
        store.failuresLeft.set(2);
        store.open.countDown();
        try (CallLogWriter w = CallLogWriter.builder(store).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            w.offer(rec(1));
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(w.writtenCount()).isEqualTo(1);
            assertThat(w.droppedCount()).isZero();
            assertThat(store.writes.get()).isEqualTo(3);
        }
    }

    @Test
    void recordsThatQueueUpAreWrittenInBatches() throws Exception {
        GatedStore store = new GatedStore();
        try (CallLogWriter w = CallLogWriter.builder(store).batchSize(8).build()) {
            w.offer(rec(0));
            assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 20; i++) {
                assertThat(w.offer(rec(i))).isTrue();
            }
            store.open.countDown();
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(store.batches).containsExactly(1, 8, 8, 4);
        }
    }

    @Test
    void closingWritesWhatIsQueuedThenRefusesNewRecords() {
        InMemoryCallLogStore store = new InMemoryCallLogStore(100);
        CallLogWriter w = CallLogWriter.builder(store).build();
        for (int i = 0; i < 5; i++) {
            w.offer(rec(i));
        }
        w.close();
        assertThat(store.size()).isEqualTo(5);
        assertThat(w.offer(rec(9))).isFalse();
        assertThat(w.droppedCount()).isEqualTo(1);
    }

    @Test
    void aRecordThatCannotBeBuiltIsDroppedNotFatal() {
        InMemoryCallLogStore store = new InMemoryCallLogStore(10);
        try (CallLogWriter w = CallLogWriter.builder(store).build()) {
            w.offer(() -> {
                throw new IllegalStateException("bug");
            });
            w.offer(rec(1));
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(w.droppedCount()).isEqualTo(1);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void droppedRecordsAreReportedAsAnOpenTelemetryCounter() {
        GatedStore store = new GatedStore();
        store.alwaysFail = true;
        store.open.countDown();
        CallLog log = CallLog.builder(store).maxAttempts(1).build();
        try (OtelHarness otel = new OtelHarness();
             Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).callLog(log).build()) {
            calls(sb, 2).forEach(CompletableFuture::join);
            Await.until(() -> log.droppedCount() == 2);
            MetricData dropped = otel.metrics.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("switchboard.calllog.dropped")).findFirst().orElseThrow();
            assertThat(dropped.getLongSumData().getPoints()).singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(2));
        }
    }
}
