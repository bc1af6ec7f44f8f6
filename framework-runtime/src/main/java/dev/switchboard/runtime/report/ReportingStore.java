package dev.switchboard.runtime.report;

import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CallLogStore} that reports records to a gateway's {@code POST /v2/logs/ingest} (through a
 * {@link BatchSender}). {@link #write}
 * only serializes the records and queues them in memory (bounded by the queue capacity; overflow is dropped
 * and counted). Its own sender thread posts batches of up to {@code batchSize} records, or whatever waited a
 * flush interval. While the gateway is unreachable (or answers 5xx, 429, 401/403/404) batches go to a
 * {@link SpillQueue} on disk and are resent, oldest first, with exponential backoff; while anything is on
 * disk, newer records queue behind it, so records arrive in order. A resent batch may repeat records the
 * gateway already has; it stores each id once. A record the gateway refuses (400 naming it, 413 alone) is
 * dropped and counted. {@link #close()} sends what is queued while the gateway answers (within the request
 * timeout) and spills the rest for the next run. A record without an origin gets the application's
 * ({@code app/instance}).
 *
 * <p>Thread-safe: {@link #write} is called by the call log's writer thread, the counters from anywhere.
 */
final class ReportingStore implements CallLogStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportingStore.class);
    private final ReportSettings s;
    private final BatchSender client;
    private final SpillQueue spill;
    private final Object lock = new Object();
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private final LongAdder dropped = new LongAdder();
    private final Thread sender;
    private long firstPendingNanos;
    private int inFlight;
    private boolean flushRequested;
    private volatile boolean closing;

    ReportingStore(ReportSettings s, IngestClient client) {
        this.s = s;
        this.client = new BatchSender(s, client, dropped);
        this.spill = SpillQueue.open(s.spillDir(), s.instance(), s.maxSpillBytes(), dropped::add);
        this.sender = new Thread(this::run, "switchboard-report-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void write(List<CallRecord> records) {
        List<String> lines = new ArrayList<>(records.size());
        for (CallRecord r : records) {
            lines.add(CallRecordJson.write(r.origin() == null ? r.toBuilder().origin(s.origin()).build() : r));
        }
        synchronized (lock) {
            for (String l : lines) {
                if (closing || pending.size() >= s.queueCapacity()) {
                    dropped.increment();
                    continue;
                }
                if (pending.isEmpty()) {
                    firstPendingNanos = System.nanoTime();
                }
                pending.add(l);
            }
            if (pending.size() >= s.batchSize()) {
                lock.notifyAll();
            }
        }
    }

    /** Records dropped by this store: queue full, spill bound passed, unreadable spill lines, refused by the gateway. */
    long droppedCount() {
        return dropped.sum();
    }

    /** Records the gateway took (resends included). */
    long sentCount() {
        return client.sentCount();
    }

    /** Records waiting on disk (or in the memory spill). */
    long spilledCount() {
        return spill.records();
    }

    /** The spill directory in use, or null when spilling in memory. */
    java.nio.file.Path spillDirectory() {
        return spill.directory();
    }

    /**
     * Sends what waits now (memory and disk, without waiting for the flush interval or the backoff) and waits
     * until nothing waits.
     *
     * @return whether that happened within {@code timeout} (false while the gateway is unreachable)
     */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            flushRequested = true;
            client.retryNow();
            lock.notifyAll();
            while (!pending.isEmpty() || inFlight > 0 || !spill.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                long wait;
                while (!closing && (wait = untilDue()) > 0) {
                    try {
                        lock.wait(Math.max(1, Math.min(1000, (wait + 999_999) / 1_000_000)));
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (closing) {
                    break;
                }
            }
            try {
                cycle();
            } catch (RuntimeException e) {
                LOG.warn("reporting call records failed: {}", e.toString());
            } finally {
                done();
            }
        }
        finish();
    }

    /** Nanoseconds until there is something to do; 0 when there is. Called holding the lock. */
    private long untilDue() {
        long now = System.nanoTime();
        long due = Long.MAX_VALUE;
        if (!pending.isEmpty()) {
            if (pending.size() >= s.batchSize() || flushRequested) {
                return 0;
            }
            due = firstPendingNanos + s.flushInterval().toNanos() - now;
        }
        if (!spill.isEmpty()) {
            due = Math.min(due, client.nextAttemptNanos() - now);
        }
        return Math.max(0, due);
    }

    private void cycle() {
        if (spill.isEmpty()) {
            List<String> batch = take(s.batchSize());
            if (!batch.isEmpty() && !client.deliver(batch, spill.directory())) {
                toSpill(batch);
            }
            return;
        }
        toSpill(take(Integer.MAX_VALUE)); // behind what already waits on disk, to keep the order
        if (System.nanoTime() - client.nextAttemptNanos() < 0) {
            return;
        }
        List<String> chunk = spill.peek(s.batchSize());
        if (!chunk.isEmpty() && client.deliver(chunk, spill.directory())) {
            spill.commit(chunk.size());
        }
    }

    private List<String> take(int max) {
        synchronized (lock) {
            List<String> out = new ArrayList<>(Math.min(max, pending.size()));
            while (out.size() < max && !pending.isEmpty()) {
                out.add(pending.poll());
            }
            if (pending.isEmpty()) {
                flushRequested = false;
            } else {
                firstPendingNanos = System.nanoTime();
            }
            inFlight = out.size();
            return out;
        }
    }

    private void done() {
        synchronized (lock) {
            inFlight = 0;
            lock.notifyAll();
        }
    }

    private void toSpill(List<String> lines) {
        try {
            spill.append(lines);
        } catch (IOException e) {
            LOG.warn("cannot spill {} call record(s): {}; dropped", lines.size(), e.toString());
            dropped.add(lines.size());
        }
    }

    /** On close: what is queued goes to the gateway while it answers (within the timeout), else to disk. */
    private void finish() {
        long deadline = System.nanoTime() + s.timeout().toNanos();
        try {
            for (List<String> batch = take(s.batchSize()); !batch.isEmpty(); batch = take(s.batchSize())) {
                boolean direct = spill.isEmpty() && client.reachable() && System.nanoTime() - deadline < 0;
                if (!direct || !client.deliver(batch, spill.directory())) {
                    toSpill(batch);
                }
                done();
            }
            while (!spill.isEmpty() && client.reachable() && System.nanoTime() - deadline < 0) {
                List<String> chunk = spill.peek(s.batchSize());
                if (chunk.isEmpty() || !client.deliver(chunk, spill.directory())) {
                    break;
                }
                spill.commit(chunk.size());
            }
        } finally {
            done();
            spill.close();
        }
    }

    /** Stops the sender after it sent or spilled what is queued; records it could not handle in time are dropped and counted. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing && !sender.isAlive()) {
                return;
            }
            closing = true;
            lock.notifyAll();
        }
        try {
            sender.join(s.timeout().toMillis() * 2 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
            synchronized (lock) {
                dropped.add(pending.size());
                pending.clear();
            }
        }
    }
}
