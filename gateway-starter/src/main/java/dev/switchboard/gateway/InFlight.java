package dev.switchboard.gateway;

import java.time.Duration;

/**
 * Counts requests being served (from dispatch until their response is written), so a graceful close
 * can wait for them. Thread-safe.
 */
final class InFlight {
    private int count;

    /** A request started. */
    synchronized void enter() {
        count++;
    }

    /** A request's response was written (or its connection closed). */
    synchronized void exit() {
        if (count > 0 && --count == 0) {
            notifyAll();
        }
    }

    /** Requests being served now. */
    synchronized int count() {
        return count;
    }

    /** Waits until no request is being served or {@code timeout} passes; true when none is left. */
    synchronized boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return count == 0;
            }
        }
        return true;
    }
}
