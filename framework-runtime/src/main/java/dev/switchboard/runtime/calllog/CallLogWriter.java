package dev.switchboard.runtime.calllog;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Moves call records off the request path into a {@link CallLogStore}: {@link #offer} puts a pending
 * record in a bounded queue and returns at once; one daemon thread builds the records into the store's
 * {@link CallLogStore#newBatch batches} (whatever has queued up, at most {@code batchSize}) and writes them,
 * retrying a failed batch with exponential backoff. Nothing here blocks or fails a call: a record that finds the
 * queue full, whose building fails, that its batch cannot take, or whose batch still fails after the last retry is
 * dropped and counted in {@link #droppedCount()}.
 *
 * <pre>{@code
 * CallLogWriter w = CallLogWriter.builder(store).capacity(10_000).build();
 * w.offer(record);   // never blocks
 * w.close();         // writes what is queued (within the close timeout), then closes the store
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CallLogWriter implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallLogWriter.class);
    /**
     * While a batch gathers, the writer sleeps until the linger time ends or this many records have queued since it
     * last took some, whichever comes first (see {@link #gather}).
     */
    static final int TAKE_EVERY = 128;

    private final CallLogStore store;
    private final ArrayBlockingQueue<Supplier<CallRecord>> queue;
    private final int batchSize;
    private final int maxAttempts;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final Duration closeTimeout;
    private final long lingerNanos;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    /** Records queued since the writer last took some while gathering a batch; the {@link #wakeAt}th wakes it. */
    private final AtomicInteger sinceTaken = new AtomicInteger();
    /** How many queued records wake a gathering writer: {@link #TAKE_EVERY}, or fewer when that many fill the batch. */
    private volatile int wakeAt;
    private final CountDownLatch abandon = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    /** What the last {@link #touch} read (written, never read: it keeps the reads). */
    @SuppressWarnings("unused")
    private int touched;

    private CallLogWriter(Builder b) {
        this.store = b.store;
        this.queue = new ArrayBlockingQueue<>(b.capacity);
        // records taken into a batch no longer count against the queue: a batch of at most the capacity keeps the
        // records held (queued, or in a batch being written or retried) within twice the capacity
        this.batchSize = Math.min(b.batchSize, b.capacity);
        this.wakeAt = Math.min(TAKE_EVERY, batchSize);
        this.maxAttempts = b.maxAttempts;
        this.initialBackoffNanos = b.initialBackoff.toNanos();
        this.maxBackoffNanos = b.maxBackoff.toNanos();
        this.closeTimeout = b.closeTimeout;
        this.lingerNanos = b.linger.toNanos();
        this.thread = new Thread(this::run, b.threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** A builder writing to {@code store}. */
    public static Builder builder(CallLogStore store) {
        return new Builder(store);
    }

    /**
     * Queues a record to be built on the writer thread; never blocks.
     *
     * @return false when it was dropped (queue full or writer closed)
     */
    public boolean offer(Supplier<CallRecord> pending) {
        if (closed || !queue.offer(pending)) {
            dropped.increment();
            return false;
        }
        accepted.increment();
        if (sinceTaken.incrementAndGet() == wakeAt) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Queues a built record; never blocks. Returns false when it was dropped. */
    public boolean offer(CallRecord record) {
        Objects.requireNonNull(record, "record");
        return offer(() -> record);
    }

    /** Records dropped so far: queue full, building failed, store failing past the last retry, or closed. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** Records written to the store so far. */
    public long writtenCount() {
        return written.get();
    }

    /** Records waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    /**
     * Waits until every record queued before this call is written or dropped (for tests and orderly
     * shutdown; never call it on a request path).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        long target = accepted.sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    /**
     * Reports {@code switchboard.calllog.dropped} (counter) and {@code switchboard.calllog.queue.size}
     * (up-down counter) through {@code meter}; close the result to stop.
     */
    public AutoCloseable registerMetrics(Meter meter) {
        ObservableLongCounter d = meter.counterBuilder("switchboard.calllog.dropped").setUnit("{record}")
                .setDescription("Call records dropped: queue full, store failing, or writer closed.")
                .buildWithCallback(m -> m.record(droppedCount()));
        ObservableLongUpDownCounter q = meter.upDownCounterBuilder("switchboard.calllog.queue.size").setUnit("{record}")
                .setDescription("Call records waiting to be written.")
                .buildWithCallback(m -> m.record(queued()));
        return () -> {
            d.close();
            q.close();
        };
    }

    /**
     * Stops accepting records, writes what is queued (giving up after the close timeout, counting the rest
     * as dropped), then closes the store. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(thread); // a gathering writer stops waiting for more records
        try {
            thread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            abandon.countDown();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left = 0;
        while (queue.poll() != null) {
            left++;
        }
        if (left > 0) {
            dropped.add(left);
            processed.addAndGet(left);
            LOG.warn("call log closed with {} records unwritten", left);
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("call log store failed to close: {}", e.toString());
        }
    }

    private void run() {
        List<Supplier<CallRecord>> pending = new ArrayList<>(batchSize);
        while (abandon.getCount() > 0) {
            Supplier<CallRecord> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closed) {
                    break;
                }
                continue;
            }
            CallLogStore.Batch batch = newBatch();
            try {
                gather(first, pending, batch);
                if (batch.size() > 0) {
                    write(batch);
                }
            } finally {
                pending.clear();
                close(batch);
            }
        }
    }

    /** The store's next batch; one that keeps its records in memory when the store cannot start one. */
    private CallLogStore.Batch newBatch() {
        try {
            return Objects.requireNonNull(store.newBatch(), "the store's newBatch() returned null");
        } catch (RuntimeException e) {
            LOG.warn("call log store could not start a batch, keeping its records until it is written: {}", e.toString());
            return new RecordBatch(store);
        }
    }

    private static void close(CallLogStore.Batch batch) {
        try {
            batch.close();
        } catch (RuntimeException e) {
            LOG.warn("call log batch failed to close: {}", e.toString());
        }
    }

    private void write(CallLogStore.Batch batch) {
        int n = batch.size();
        long backoff = initialBackoffNanos;
        for (int attempt = 1; ; attempt++) {
            try {
                batch.write();
                written.addAndGet(n);
                processed.addAndGet(n);
                return;
            } catch (Exception e) {
                if (attempt >= maxAttempts || waitOrAbandon(backoff)) {
                    LOG.warn("call log store failed {} times, dropping {} records: {}", attempt, n, e.toString());
                    dropped.add(n);
                    processed.addAndGet(n);
                    return;
                }
                LOG.debug("call log store failed (attempt {}), retrying: {}", attempt, e.toString());
                backoff = Math.min(backoff * 2, maxBackoffNanos);
            }
        }
    }

    /**
     * Builds a batch starting with {@code first}: takes what has queued up and, while the linger time lasts and the
     * batch is not full, what arrives. Between takes it sleeps until the linger time ends or {@value #TAKE_EVERY}
     * records (or as many as fill the batch) have queued meanwhile ({@link #offer} wakes it): a busy gateway's records
     * are taken every few milliseconds, a quiet one's once per batch, so a quiet writer wakes a few times a second,
     * not every few milliseconds. Records are built and added to the batch as they are taken, not when the batch is
     * complete, so that under load the request and response they were built from are garbage before the next young
     * collection (and, with a store's own {@link CallLogStore#newBatch batch}, the records too).
     */
    private void gather(Supplier<CallRecord> first, List<Supplier<CallRecord>> pending, CallLogStore.Batch batch) {
        build(first, batch);
        int taken = 1;
        long deadline = System.nanoTime() + lingerNanos;
        while (taken < batchSize) {
            sinceTaken.set(0); // before draining: what is offered after the drain counts towards the next wake-up
            taken += queue.drainTo(pending, batchSize - taken);
            touch(pending);
            for (Supplier<CallRecord> p : pending) {
                build(p, batch);
            }
            pending.clear();
            if (taken >= batchSize || deadline - System.nanoTime() <= 0 || closed) { // closed: also when abandoned (close() sets it first)
                return;
            }
            wakeAt = Math.min(TAKE_EVERY, batchSize - taken); // a full batch ends the gathering at once
            awaitRecords(deadline);
        }
    }

    /**
     * Sleeps until {@link #wakeAt} records have queued since the last take, the deadline passes or the writer closes.
     * A park may return early (a stale permit left by the queue's own signalling, say), so the condition is checked
     * again after each.
     */
    private void awaitRecords(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0 && !closed && sinceTaken.get() < wakeAt;
                left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    /**
     * Reads ahead what the calls in {@code pending} will be built from ({@link PendingCall#touch}): one tight loop over
     * the take lets the processor fetch many calls' objects from memory at once; the sum is stored so that the reads
     * are kept. A call whose objects cannot be read is left to {@link #build}, which drops and counts it.
     */
    private void touch(List<Supplier<CallRecord>> pending) {
        int n = 0;
        for (Supplier<CallRecord> p : pending) {
            if (p instanceof PendingCall c) {
                try {
                    n += c.touch();
                } catch (RuntimeException e) {
                    // built (and failed, dropped and counted) by build()
                }
            }
        }
        touched = n;
    }

    /** Adds the record {@code p} builds to {@code batch}; a record that fails to build or to be added is dropped and counted. */
    private void build(Supplier<CallRecord> p, CallLogStore.Batch batch) {
        try {
            batch.add(Objects.requireNonNull(p.get(), "record"));
        } catch (RuntimeException e) {
            LOG.warn("could not log a call (dropped): {}", e.toString());
            dropped.increment();
            processed.incrementAndGet();
        }
    }

    /** Sleeps {@code nanos}; true when the writer is abandoned meanwhile. */
    private boolean waitOrAbandon(long nanos) {
        try {
            return abandon.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Builds a {@link CallLogWriter}. Not thread-safe. */
    public static final class Builder {
        private final CallLogStore store;
        private int capacity = 10_000;
        private int batchSize = 500;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private String threadName = "switchboard-calllog-writer";
        private Duration linger = Duration.ZERO;

        private Builder(CallLogStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Queue capacity (default 10,000); records beyond it are dropped. A batch holds at most this many too, so at
         * most twice this many records are held at once (queued, or in a batch being written or retried).
         */
        public Builder capacity(int v) { capacity = positive(v, "capacity"); return this; }
        /** Largest batch handed to the store (default 500; never more than the {@link #capacity}). */
        public Builder batchSize(int v) { batchSize = positive(v, "batchSize"); return this; }
        /** Store attempts per batch before it is dropped (default 5). */
        public Builder maxAttempts(int v) { maxAttempts = positive(v, "maxAttempts"); return this; }
        /** Wait before the first retry of a batch, doubled per retry up to {@code max} (default 100 ms, 5 s). */
        public Builder backoff(Duration initial, Duration max) {
            initialBackoff = Objects.requireNonNull(initial, "initial");
            maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }
        /** How long {@link #close()} waits for queued records (default 10 s). */
        public Builder closeTimeout(Duration v) { closeTimeout = Objects.requireNonNull(v, "closeTimeout"); return this; }
        /**
         * How long the writer waits, once a record has arrived, for more to join its batch (default 0: it writes
         * what has queued up at once); it stops waiting as soon as a whole batch ({@link #batchSize}) is taken. A
         * database pays per transaction: a short linger (100–200 ms) under steady load turns many one-record
         * transactions into a few large ones, at the cost of records reaching the store that much later.
         */
        public Builder linger(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative: " + v);
            }
            linger = v;
            return this;
        }
        /** The writer thread's name. */
        public Builder threadName(String v) { threadName = Objects.requireNonNull(v, "threadName"); return this; }

        /** Builds the writer and starts its thread. */
        public CallLogWriter build() {
            return new CallLogWriter(this);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }
    }
}
