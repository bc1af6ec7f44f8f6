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
 * {@value #BATCH} calls (their search rows and attempts go with them), one short transaction each, so writers and
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

    /**
     * Deletes calls started before {@code cutoff}, in batches (the oldest first: their {@code sb_calls} and
     * {@code sb_call_index} rows, on PostgreSQL their attempts by cascade), then the statistics buckets that ended
     * before it and orphaned feedback; returns how many calls.
     */
    static long delete(Connection c, CallLogDialect dialect, Instant cutoff) throws SQLException {
        long us = CallIndexRows.micros(cutoff);
        if (dialect.embedded()) {
            return deleteBlocks(c, dialect, us, cutoff);
        }
        String oldest = "SELECT id FROM sb_call_index WHERE started_us < ? ORDER BY started_us, id" + dialect.fetchFirst(BATCH);
        long total = Transactions.inOne(c, () -> {
            long deleted = 0;
            try (PreparedStatement calls = c.prepareStatement("DELETE FROM sb_calls WHERE id IN (" + oldest + ")");
                 PreparedStatement index = c.prepareStatement("DELETE FROM sb_call_index WHERE id IN (" + oldest + ") AND started_us < ?")) {
                int n;
                do {
                    calls.setLong(1, us);
                    deleted += calls.executeUpdate();
                    index.setLong(1, us);
                    index.setLong(2, us);
                    n = index.executeUpdate();
                    c.commit();
                } while (n == BATCH);
            }
            CallStatsRollup.deleteBefore(c, us);
            c.commit();
            return deleted;
        });
        CallFeedbackSql.deleteOrphansBefore(c, dialect, cutoff);
        return total;
    }

    /** {@link #delete} on an embedded database: its blocks ({@link CallBlockTable#deleteBefore}), in one transaction. */
    private static long deleteBlocks(Connection c, CallLogDialect dialect, long us, Instant cutoff) throws SQLException {
        long total = Transactions.inOne(c, () -> {
            long n = CallBlockTable.deleteBefore(c, us);
            CallStatsRollup.deleteBefore(c, us);
            c.commit();
            return n;
        });
        CallFeedbackSql.deleteOrphansBefore(c, dialect, cutoff);
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
