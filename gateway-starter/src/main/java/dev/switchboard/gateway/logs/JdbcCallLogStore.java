package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogIngest;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallLogQuery;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackStore;
import dev.switchboard.runtime.calllog.FeedbackSummary;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A call log in a SQL database, SQLite (an embedded file: the gateway's default), H2 (an embedded file) or
 * PostgreSQL (shared by several gateways): a {@link CallLogStore} for the writer, a {@link CallLogQuery} and {@link CallLogStatistics} for the
 * {@code /v1/logs} and {@code /v1/stats} endpoints.
 *
 * <pre>{@code
 * JdbcCallLogStore store = JdbcCallLogStore.builder(dataSource).retention(Duration.ofDays(30)).closing(pool).build();
 * CallLog log = CallLog.builder(store).build();
 * }</pre>
 *
 * <p>The schema ({@link CallLogSchema}) is created or migrated on the first connection that succeeds: at
 * {@link Builder#build()} when the database is up, else at the first write or query, so a database that is down
 * when the gateway starts only costs the records written meanwhile (the writer retries, then drops and counts).
 * {@link #write} stores a batch in one transaction and skips records whose id is already stored; so does
 * {@link #ingest} (records reported by applications), which may be called from several threads. Feedback
 * ({@link FeedbackStore}) is kept in its own table, several per call. Every operation
 * takes a connection from the data source for its duration; use a pool.
 *
 * <p>Thread-safe. {@link #close()} stops the retention sweeps and closes what {@link Builder#closing} was given.
 */
public final class JdbcCallLogStore implements CallLogStore, CallLogQuery, CallLogStatistics, CallLogIngest, FeedbackStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcCallLogStore.class);
    private final DataSource ds;
    private final AutoCloseable closing;
    private final CallLogRetention retention;
    private final CallStatsRollup.Recent recentStats = new CallStatsRollup.Recent(4_096);
    /** The embedded databases' writes of blocks, one at a time (a block's id is the largest plus one). */
    private final Object blockWrites = new Object();
    /** The batch the writer thread is gathering ({@link #newBatch}; guarded by {@link #blockWrites}). */
    private final CallBlockTable.Gathering gathering = new CallBlockTable.Gathering();
    /** Whether a {@link GatheredBatch} holds {@link #gathering} (guarded by {@link #blockWrites}). */
    private boolean gatheringTaken;
    /** The working memory of blocks encoded from records (guarded by {@link #blockWrites}). */
    private final CallBlock.Builder encoding = new CallBlock.Builder();
    private final RecentIds recentIds = new RecentIds(1 << 17);
    /** Whether the last {@link #write} failed: its batch may come again, so its ids are looked up. */
    private volatile boolean writeFailed;
    private volatile CallLogDialect dialect;

    private JdbcCallLogStore(Builder b) {
        this.ds = b.ds;
        this.closing = b.closing;
        try (Connection c = ds.getConnection()) {
            ready(c);
        } catch (SQLException e) {
            LOG.warn("call log database not reachable yet ({}); the schema is created at the first write", e.getMessage());
        }
        this.retention = b.retention == null ? null : new CallLogRetention(this, b.retention, b.firstSweep, b.sweepEvery);
    }

    /** A builder reading and writing through {@code ds}. */
    public static Builder builder(DataSource ds) {
        return new Builder(ds);
    }

    private CallLogDialect ready(Connection c) throws SQLException {
        CallLogDialect d = dialect;
        if (d == null) {
            synchronized (this) {
                d = dialect;
                if (d == null) {
                    d = CallLogDialect.of(c);
                    CallLogSchema.migrate(c, d);
                    dialect = d;
                }
            }
        }
        return d;
    }

    /** The database's dialect, once a connection has succeeded; null before. */
    public CallLogDialect dialect() {
        return dialect;
    }

    @Override
    public void write(List<CallRecord> records) throws SQLException {
        boolean failed = true;
        try (Connection c = ds.getConnection()) {
            store(c, ready(c), records, writeFailed);
            failed = false;
        } finally {
            writeFailed = failed;
        }
    }

    /**
     * On the embedded databases (once a connection has succeeded), a batch that adds each record to the block being
     * gathered as the writer builds it, while the call's data is in the writer's cache, and keeps no record (see
     * {@link CallBlockTable.Gathering}); otherwise, and should a batch still be open, the default batch of records.
     */
    @Override
    public Batch newBatch() {
        CallLogDialect d = dialect;
        if (d != null && d.embedded()) {
            synchronized (blockWrites) {
                if (!gatheringTaken) {
                    gatheringTaken = true;
                    return new GatheredBatch();
                }
            }
        }
        return CallLogStore.super.newBatch();
    }

    /** The writer's batch on the embedded databases: {@link #gathering}, held until closed. */
    private final class GatheredBatch implements Batch {
        private boolean failed;
        private boolean closed;

        @Override
        public void add(CallRecord record) {
            synchronized (blockWrites) {
                checkOpen();
                gathering.add(record);
            }
        }

        @Override
        public int size() {
            synchronized (blockWrites) {
                return closed ? 0 : gathering.size();
            }
        }

        /** Writes the gathered block; after a failed attempt (which may have been stored after all), its records by id. */
        @Override
        public void write() throws SQLException {
            boolean ok = false;
            try (Connection c = ds.getConnection()) {
                CallLogDialect d = ready(c);
                writingBlocks(() -> {
                    checkOpen();
                    return failed ? CallBlockTable.write(c, d, gathering.records(), recentStats, recentIds, true, encoding)
                            : CallBlockTable.write(c, d, gathering, recentStats, recentIds, encoding);
                });
                ok = true;
            } finally {
                failed |= !ok;
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("the call log batch is closed");
            }
        }

        @Override
        public void close() {
            synchronized (blockWrites) {
                if (!closed) {
                    closed = true;
                    gathering.reset();
                    gatheringTaken = false;
                }
            }
        }
    }

    /** Stores the records whose ids are new, in one transaction; returns how many were. */
    @Override
    public int ingest(List<CallRecord> records) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return store(c, ready(c), records, true);
        }
    }

    /** Stores the new calls of {@code records}: as a block on the embedded databases, as rows on PostgreSQL. */
    private int store(Connection c, CallLogDialect d, List<CallRecord> records, boolean lookUp) throws SQLException {
        if (!d.embedded()) {
            return CallLogRows.write(c, d, records, recentStats);
        }
        return writingBlocks(() -> CallBlockTable.write(c, d, records, recentStats, recentIds, lookUp, encoding));
    }

    /** Runs a block write under {@link #blockWrites}; {@link #encoding} then holds no strings of its records. */
    private <T> T writingBlocks(Transactions.Work<T> write) throws SQLException {
        synchronized (blockWrites) {
            try {
                return write.run();
            } finally {
                encoding.reset();
            }
        }
    }

    @Override
    public boolean addFeedback(Feedback feedback) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return CallFeedbackSql.insert(c, ready(c), feedback);
        }
    }

    /** @throws CallLogUnavailableException when the database cannot be reached */
    @Override
    public List<Feedback> feedback(String callId) {
        try (Connection c = ds.getConnection()) {
            ready(c);
            return CallFeedbackSql.of(c, callId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** @throws CallLogUnavailableException when the database cannot be reached */
    @Override
    public CallLogPage search(CallLogFilter filter, FeedbackFilter feedback) {
        try (Connection c = ds.getConnection()) {
            CallLogDialect d = ready(c);
            return d.embedded() ? CallBlockSearch.search(c, filter, feedback) : CallLogSearch.search(c, d, filter, feedback);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** @throws CallLogUnavailableException when the database cannot be reached */
    @Override
    public List<FeedbackSummary> feedbackSummary(CallLogFilter scope) {
        try (Connection c = ds.getConnection()) {
            CallLogDialect d = ready(c);
            return d.embedded() ? CallBlockSearch.feedbackSummary(c, scope) : CallFeedbackSql.summary(c, scope);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<CallRecord> find(String id) {
        Objects.requireNonNull(id, "id");
        try (Connection c = ds.getConnection()) {
            return ready(c).embedded() ? CallBlockSearch.find(c, id) : CallLogSearch.find(c, id);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * {@inheritDoc} At most {@value CallLogSearch#MAX_LIMIT} records per page.
     *
     * @throws CallLogUnavailableException when the database cannot be reached
     */
    @Override
    public CallLogPage search(CallLogFilter filter) {
        return search(filter, null);
    }

    /** @throws CallLogUnavailableException when the database cannot be reached */
    @Override
    public List<CallStatsRow> stats(CallStatsQuery query) {
        try (Connection c = ds.getConnection()) {
            return CallLogStatsSql.stats(c, ready(c), query);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Deletes the calls started before {@code cutoff} (in batches); returns how many. */
    public long deleteStartedBefore(Instant cutoff) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return CallLogRetention.delete(c, ready(c), cutoff);
        }
    }

    private static CallLogUnavailableException unavailable(SQLException e) {
        return new CallLogUnavailableException("the call log database failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (retention != null) {
            retention.close();
        }
        if (closing != null) {
            try {
                closing.close();
            } catch (Exception e) {
                LOG.warn("closing the call log database failed: {}", e.toString());
            }
        }
    }

    /** Thrown by queries when the database cannot be reached or fails. */
    public static final class CallLogUnavailableException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        CallLogUnavailableException(String message, SQLException cause) {
            super(message, new java.io.IOException(cause));
        }
    }

    /** Builds a {@link JdbcCallLogStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource ds;
        private AutoCloseable closing;
        private Duration retention;
        private Duration firstSweep = Duration.ofMinutes(1);
        private Duration sweepEvery = Duration.ofHours(1);

        private Builder(DataSource ds) {
            this.ds = Objects.requireNonNull(ds, "ds");
        }

        /** Deletes calls older than {@code keep} every hour (the first time a minute after start); null keeps everything. */
        public Builder retention(Duration keep) {
            if (keep != null && (keep.isNegative() || keep.isZero())) {
                throw new IllegalArgumentException("retention must be positive: " + keep);
            }
            retention = keep;
            return this;
        }

        /** When the retention sweeps run (default: a minute after start, then every hour). */
        public Builder sweeps(Duration first, Duration every) {
            firstSweep = Objects.requireNonNull(first, "first");
            sweepEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        /** Closes {@code resource} (e.g. the connection pool) when the store closes. */
        public Builder closing(AutoCloseable resource) {
            closing = resource;
            return this;
        }

        /** Builds the store, creating or migrating the schema when the database is reachable. */
        public JdbcCallLogStore build() {
            return new JdbcCallLogStore(this);
        }
    }
}
