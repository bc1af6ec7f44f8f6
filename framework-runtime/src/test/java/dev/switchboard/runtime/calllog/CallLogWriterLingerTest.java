package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link CallLogWriter.Builder#linger}: records arriving within the linger share one store write; how the writer wakes while it gathers. */
class CallLogWriterLingerTest {

    @Test
    void recordsArrivingWithinTheLingerShareOneWrite() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CallLogStore store = records -> batches.add(records.size());
        try (CallLogWriter w = CallLogWriter.builder(store).linger(Duration.ofMillis(300)).build()) {
            for (int i = 0; i < 20; i++) {
                w.offer(CallRecord.builder("call_" + i).startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build());
                Thread.sleep(5);
            }
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
            assertThat(batches).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void withoutLingerTheWriterDoesNotWait() throws Exception {
        List<Long> delays = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        CallLogStore store = records -> delays.add((System.nanoTime() - t0) / 1_000_000);
        try (CallLogWriter w = CallLogWriter.builder(store).build()) {
            w.offer(CallRecord.builder("call_1").startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build());
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(delays.get(0)).isLessThan(250);
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingOutTheLinger() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CallLogStore store = records -> batches.add(records.size());
        // a linger far longer than the test: only a full batch can end it
        try (CallLogWriter w = CallLogWriter.builder(store).linger(Duration.ofMinutes(10)).batchSize(50).build()) {
            for (int i = 0; i < 50; i++) {
                w.offer(CallRecord.builder("call_" + i).startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build());
            }
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(batches).containsExactly(50);
        }
    }

    @Test
    void aLingeringBatchHoldsNoMoreThanTheQueueCapacity() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CallLogStore stuck = records -> {
            batches.add(records.size());
            release.await(); // a store that hangs until the test ends
        };
        try (CallLogWriter w = CallLogWriter.builder(stuck).capacity(3).batchSize(500).linger(Duration.ofMillis(100))
                .closeTimeout(Duration.ofMillis(100)).build()) {
            for (int i = 0; i < 20; i++) {
                w.offer(CallRecord.builder("call_" + i).startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build());
            }
            // at most 3 in the batch being written and 3 in the queue
            assertThat(w.droppedCount()).isGreaterThanOrEqualTo(20 - 3 - 3);
            release.countDown();
        }
        assertThat(batches).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
    }

    @Test
    void aGatheringWriterTakesRecordsOnlyOnceEnoughHaveQueued() throws Exception {
        AtomicInteger built = new AtomicInteger();
        Supplier<CallRecord> counted = counting(built);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        try (CallLogWriter w = CallLogWriter.builder(records -> batches.add(records.size()))
                .linger(Duration.ofMinutes(10)).batchSize(1_000).build()) {
            w.offer(counted); // starts a batch: built at once, then the writer sleeps
            awaitValue(built, 1);
            Thread.sleep(100);
            for (int i = 0; i < CallLogWriter.TAKE_EVERY - 1; i++) {
                w.offer(counted);
            }
            Thread.sleep(300);
            assertThat(built.get()).as("records taken before TAKE_EVERY had queued").isEqualTo(1);
            w.offer(counted); // the TAKE_EVERY-th wakes the writer, which takes them all
            awaitValue(built, CallLogWriter.TAKE_EVERY + 1);
            assertThat(batches).as("the batch still gathers until the linger ends or it is full").isEmpty();
        }
        assertThat(batches).as("close() ends the gathering and writes the batch").containsExactly(CallLogWriter.TAKE_EVERY + 1);
    }

    @Test
    void anEarlyReturnFromItsSleepDoesNotMakeAGatheringWriterTakeRecords() throws Exception {
        AtomicInteger built = new AtomicInteger();
        Supplier<CallRecord> counted = counting(built);
        try (CallLogWriter w = CallLogWriter.builder(records -> { }).threadName("linger-test-writer")
                .linger(Duration.ofMinutes(10)).batchSize(1_000).build()) {
            w.offer(counted);
            awaitValue(built, 1);
            for (int i = 0; i < 10; i++) {
                w.offer(counted);
            }
            Thread writer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("linger-test-writer")).findFirst().orElseThrow();
            for (int i = 0; i < 5; i++) { // what a stale permit (the queue's own signalling) or a spurious wake-up does
                LockSupport.unpark(writer);
                Thread.sleep(20);
            }
            Thread.sleep(100);
            assertThat(built.get()).as("records taken before TAKE_EVERY had queued").isEqualTo(1);
        }
        assertThat(built.get()).as("close() takes the rest").isEqualTo(11);
    }

    @Test
    void closeDoesNotWaitOutTheLinger() {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CallLogWriter w = CallLogWriter.builder(records -> batches.add(records.size())).linger(Duration.ofMinutes(10)).build();
        w.offer(CallRecord.builder("call_1").startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build());
        long t0 = System.nanoTime();
        w.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(batches).containsExactly(1);
        assertThat(w.droppedCount()).isZero();
    }

    /** A pending record that counts in {@code built} how many times it has been built. */
    private static Supplier<CallRecord> counting(AtomicInteger built) {
        return () -> CallRecord.builder("call_" + built.incrementAndGet()).startedAt(Instant.EPOCH).status(CallRecord.Status.SUCCESS).build();
    }

    private static void awaitValue(AtomicInteger value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value.get()).isEqualTo(expected);
    }
}
