package dev.switchboard.runtime.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Posts batches of records to the gateway and keeps the backoff: a batch is sent whole, halved on 413, without
 * the one record a 400 names, dropped (and counted) on another 4xx; when the gateway is unavailable the next
 * attempt waits the backoff (initial, doubled up to the maximum), and the first success resets it. Logs only on
 * changes (unreachable, reachable again) and refusals. Used by the sender thread of {@link ReportingStore};
 * {@link #retryNow()} and the counters may be called from any thread.
 */
final class BatchSender {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchSender.class);
    private final ReportSettings s;
    private final IngestClient client;
    private final LongAdder dropped;
    private final AtomicLong sent = new AtomicLong();
    private volatile long backoffNanos;
    private volatile long nextAttemptNanos = System.nanoTime();

    BatchSender(ReportSettings s, IngestClient client, LongAdder dropped) {
        this.s = s;
        this.client = client;
        this.dropped = dropped;
    }

    /** Records the gateway took. */
    long sentCount() {
        return sent.get();
    }

    /** Whether the last request reached the gateway (or none was made yet). */
    boolean reachable() {
        return backoffNanos == 0;
    }

    /** When the next attempt is due ({@link System#nanoTime} scale). */
    long nextAttemptNanos() {
        return nextAttemptNanos;
    }

    /** Makes the next attempt due now, backoff or not. */
    void retryNow() {
        nextAttemptNanos = System.nanoTime();
    }

    /**
     * Posts {@code records} in order.
     *
     * @param spillDir where records wait meanwhile, for the log message (null: in memory)
     * @return true when each was taken or refused for good, false when the gateway is unavailable
     */
    boolean deliver(List<String> records, Path spillDir) {
        List<String> left = new ArrayList<>(records);
        int chunk = left.size();
        while (!left.isEmpty()) {
            List<String> part = left.subList(0, Math.min(chunk, left.size()));
            IngestClient.Result r = client.post(part);
            switch (r.kind()) {
                case OK -> {
                    sent.addAndGet(part.size());
                    part.clear();
                    succeeded();
                }
                case TOO_LARGE -> {
                    if (part.size() == 1) {
                        drop(part, r);
                    } else {
                        chunk = part.size() / 2;
                    }
                }
                case BAD_RECORD -> {
                    if (r.badIndex() < part.size()) {
                        LOG.warn("the gateway refused a call record ({}); dropped: {}", r.status(), r.message());
                        dropped.increment();
                        left.remove(r.badIndex());
                    } else {
                        drop(part, r);
                    }
                }
                case REJECTED -> drop(part, r);
                case UNAVAILABLE -> {
                    unreachable(r, spillDir);
                    return false;
                }
            }
        }
        return true;
    }

    private void drop(List<String> part, IngestClient.Result r) {
        LOG.warn("the gateway refused {} call record(s) ({}); dropped: {}", part.size(), r.status(), r.message());
        dropped.add(part.size());
        part.clear();
    }

    private void succeeded() {
        if (backoffNanos != 0) {
            LOG.info("gateway {} reachable again; sending the records that waited", s.gateway());
        }
        backoffNanos = 0;
        nextAttemptNanos = System.nanoTime();
    }

    private void unreachable(IngestClient.Result r, Path spillDir) {
        long b = backoffNanos;
        if (b == 0) {
            LOG.warn("cannot report call records to {} ({}); keeping them {} and retrying", s.gateway(),
                    r.status() == 0 ? r.message() : r.status() + " " + r.message(), spillDir == null ? "in memory" : "in " + spillDir);
        }
        b = b == 0 ? s.initialBackoff().toNanos() : Math.min(b * 2, s.maxBackoff().toNanos());
        backoffNanos = b;
        nextAttemptNanos = System.nanoTime() + b;
    }
}
