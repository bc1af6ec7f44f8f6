package dev.switchboard.runtime.telemetry;

import java.util.function.BooleanSupplier;

/** Waits for something observers do after the caller already has its result (they may run just after). */
public final class Await {
    private Await() {
    }

    public static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
