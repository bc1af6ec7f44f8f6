package dev.switchboard.runtime.engine;

import dev.failsafe.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Failsafe {@link Scheduler} that runs undelayed work on the calling thread and delayed work (retry
 * backoff) on one shared daemon timer thread. Provider calls are themselves asynchronous, so running
 * the first attempt inline costs no thread hop and keeps an in-process call cheap. Thread-safe.
 */
final class InlineScheduler implements Scheduler {
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-timer");
        t.setDaemon(true);
        return t;
    });
    static final InlineScheduler INSTANCE = new InlineScheduler();

    private InlineScheduler() {
    }

    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            return TIMER.schedule(callable, delay, unit);
        }
        try {
            return new Done(CompletableFuture.completedFuture(callable.call()));
        } catch (Exception e) {
            return new Done(CompletableFuture.failedFuture(e));
        }
    }

    /** An already-finished {@link ScheduledFuture}. */
    private record Done(CompletableFuture<Object> f) implements ScheduledFuture<Object> {
        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(0, o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() throws InterruptedException, ExecutionException {
            return f.get();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
            return f.get();
        }
    }
}
