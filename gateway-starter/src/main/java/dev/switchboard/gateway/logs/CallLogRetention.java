package dev.switchboard.gateway.logs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes calls older than the retention period, periodically, on one daemon thread: in batches of
 * {@value #BATCH} calls (their attempts and metadata go with them), one short transaction each, so writers and
 * readers are never held up for long. A failed sweep is logged and tried again at the next period.
 * Thread-safe.
 */
final class CallLogRetention implements AutoCloseable {
    static final int BATCH = 5_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallLogRetention.class);
    private final ScheduledExecutorService timer;

    /** Sweeps through {@code store} every {@code every}, the first time {@code firstAfter} from now. */
    CallLogRetention(JdbcCallLogStore store, Duration keep, Duration firstAfter, Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-call-log-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                long n = store.deleteStartedBefore(Instant.now().minus(keep));
                if (n > 0) {
                    LOG.info("call log retention: deleted {} call(s) older than {}", n, keep);
                }
            } catch (Exception e) {
                LOG.warn("call log retention sweep failed (tried again in {}): {}", every, e.toString());
            }
        }, firstAfter.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes calls started before {@code cutoff}, in batches; returns how many. */
    static long delete(Connection c, Instant cutoff) throws SQLException {
        long total = 0;
        try (PreparedStatement d = c.prepareStatement("DELETE FROM sb_calls WHERE id IN (SELECT id FROM sb_calls WHERE started_at < ?"
                + " FETCH FIRST " + BATCH + " ROWS ONLY)")) {
            int n;
            do {
                d.setObject(1, CallLogRows.utc(cutoff));
                n = d.executeUpdate();
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                total += n;
            } while (n == BATCH);
        }
        CallFeedbackSql.deleteOrphansBefore(c, cutoff);
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
