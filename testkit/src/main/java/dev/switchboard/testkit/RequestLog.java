package dev.switchboard.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Every recorded request in arrival order, plus a queue of requests not yet taken. Thread-safe. */
final class RequestLog {

    private final List<RecordedRequest> all = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private long sequence;

    synchronized RecordedRequest record(long connectionId, RequestParser.Incoming in) {
        RecordedRequest r = new RecordedRequest(sequence++, connectionId, in.method(), in.target(), in.version(),
                in.headers(), in.body(), in.chunked(), Instant.now());
        all.add(r);
        untaken.add(r);
        return r;
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(all);
    }

    synchronized int count() {
        return all.size();
    }

    RecordedRequest take(Duration timeout) {
        try {
            return untaken.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    synchronized void clear() {
        all.clear();
        untaken.clear();
        sequence = 0;
    }
}
