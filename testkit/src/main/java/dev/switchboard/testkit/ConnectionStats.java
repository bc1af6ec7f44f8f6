package dev.switchboard.testkit;

import java.time.Duration;

/** Connection counters with blocking waits. Thread-safe: every method synchronizes on this object. */
final class ConnectionStats {

    private int open;
    private long accepted;
    private int disconnects;
    private int aborts;

    synchronized void opened() {
        open++;
        accepted++;
    }

    synchronized void closed() {
        open--;
        notifyAll();
    }

    /** @param midResponse whether the client left while the server was still working on an answer */
    synchronized void clientDisconnected(boolean midResponse) {
        disconnects++;
        if (midResponse) {
            aborts++;
        }
        notifyAll();
    }

    synchronized int open() { return open; }

    synchronized long accepted() { return accepted; }

    synchronized int disconnects() { return disconnects; }

    synchronized int aborts() { return aborts; }

    synchronized boolean awaitDisconnects(int atLeast, Duration timeout) {
        return await(() -> disconnects >= atLeast, timeout);
    }

    synchronized boolean awaitAborts(int atLeast, Duration timeout) {
        return await(() -> aborts >= atLeast, timeout);
    }

    synchronized boolean awaitOpenAtMost(int atMost, Duration timeout) {
        return await(() -> open <= atMost, timeout);
    }

    synchronized void resetCounters() {
        disconnects = 0;
        aborts = 0;
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
