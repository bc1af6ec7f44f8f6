package dev.switchboard.runtime.engine;

import dev.failsafe.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A Failsafe {@link Scheduler} that runs undelayed work on the calling thread and delayed work (retry
 * backoff, call timeouts) on a delayed-work scheduler: by default {@link #TIMER}, one shared daemon timer
 * thread; a host with event loops (the gateway) passes one that schedules on the calling loop, so that arming
 * and cancelling a call's timeout costs no thread wake-up. Provider calls are themselves asynchronous, so
 * running the first attempt inline costs no thread hop and keeps an in-process call cheap. Thread-safe.
 */
final class InlineScheduler implements Scheduler {
    static final ScheduledExecutorService TIMER = newTimer();
    /** Inline work on the caller, delayed work on {@link #TIMER}. */
    static final InlineScheduler INSTANCE = new InlineScheduler((c, d, u) -> TIMER.schedule(c, d, u));

    private final Scheduler delayed;

    /** Inline work on the caller, delayed work on {@code delayed}. */
    InlineScheduler(Scheduler delayed) {
        this.delayed = delayed;
    }

    /** Schedules {@code task} after {@code delayNanos} on the delayed-work scheduler. */
    ScheduledFuture<?> later(Runnable task, long delayNanos) {
        return delayed.schedule(() -> {
            task.run();
            return null;
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The shared timer. Call timeouts are armed for nearly every call and cancelled when it ends, long before they
     * would fire: a cancelled task leaves the queue at once (not at its deadline), so the queue holds only calls in
     * flight and no finished call is kept reachable, nor wakes the timer thread, until its timeout would have passed.
     */
    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "switchboard-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            return delayed.schedule(callable, delay, unit);
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
