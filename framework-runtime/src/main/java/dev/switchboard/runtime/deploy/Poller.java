package dev.switchboard.runtime.deploy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls a fingerprint function on a daemon thread every interval and runs {@code onChange} when the result
 * differs from the previous one; failures are reported to {@code problems} (null once a poll works again).
 * Thread-safe; {@link #close()} stops it.
 */
final class Poller implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Poller.class);
    private final ScheduledExecutorService timer;
    private final Supplier<String> fingerprint;
    private final Runnable onChange;
    private final Consumer<String> problems;
    private String last;

    Poller(String threadName, Duration interval, Supplier<String> fingerprint, Runnable onChange, Consumer<String> problems) {
        this.fingerprint = fingerprint;
        this.onChange = onChange;
        this.problems = problems;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::poll, 0, ms, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        String now;
        try {
            now = fingerprint.get();
            problems.accept(null);
        } catch (RuntimeException e) {
            String p = "polling for deployment changes failed: " + e.getMessage();
            LOG.debug(p, e);
            problems.accept(p);
            return;
        }
        boolean changed = last != null && !Objects.equals(last, now);
        last = now;
        if (changed) {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.warn("a deployment change handler failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
