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

    @Test
    void everyRecordIsPreparedBeforeTheBatchHoldingItIsWrittenAndAFailingPrepareLosesNothing() {
        List<CallRecord> prepared = new CopyOnWriteArrayList<>();
        List<CallRecord> written = new CopyOnWriteArrayList<>();
        List<CallRecord> writtenUnprepared = new CopyOnWriteArrayList<>(); // checked on the test's thread, not the writer's
        CallLogStore store = new CallLogStore() {
            @Override
            public void write(List<CallRecord> records) {
                for (CallRecord r : records) {
                    if (prepared.stream().noneMatch(p -> p == r)) {
                        writtenUnprepared.add(r);
                    }
                }
                written.addAll(records);
            }

            @Override
            public void prepare(CallRecord record) {
                prepared.add(record);
                if (record.id().endsWith("3")) {
                    throw new IllegalStateException("cannot prepare this one");
                }
            }
        };
        CallLogWriter w = CallLogWriter.builder(store).batchSize(4).build();
        for (int i = 0; i < 10; i++) {
            assertThat(w.offer(rec(i))).isTrue();
        }
        assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
        w.close();
        assertThat(written).extracting(CallRecord::id).containsExactly("call_0", "call_1", "call_2", "call_3", "call_4",
                "call_5", "call_6", "call_7", "call_8", "call_9");
        assertThat(writtenUnprepared).as("written without being prepared first").isEmpty();
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
