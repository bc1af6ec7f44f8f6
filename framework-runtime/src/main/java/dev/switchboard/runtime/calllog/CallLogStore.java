package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * Where call records are kept: the SPI a log store implements (in memory, JDBC, a file, a remote
 * collector). Searching is a separate interface, {@link CallLogQuery}, which a store may also implement.
 *
 * <p>Only the {@link CallLogWriter}'s own thread calls {@link #write}, one batch at a time, off the
 * request path; it may block (a database insert) but should not for long, since records queue up behind
 * it. A failing write is retried with backoff, then its batch is dropped and counted.
 */
public interface CallLogStore extends AutoCloseable {

    /**
     * Stores a batch of records, all or nothing if the store can.
     *
     * @param records one or more records, in the order the calls ended; the list is unmodifiable
     * @throws Exception when the batch was not stored (it will be retried)
     */
    void write(List<CallRecord> records) throws Exception;

    /**
     * Called by the writer thread with each record as it is built, before the batch that will hold it is
     * {@link #write written} (which then follows with the same record object, unless the record is dropped): a store
     * may do its per-record work here, while what the record was built from is still in the processor's cache. The
     * default does nothing. A store must not depend on it: records written without it (a batch written again after a
     * failure, records from elsewhere) are written all the same. An exception thrown here is logged and ignored.
     */
    default void prepare(CallRecord record) {
    }

    /** Releases the store's resources; called once, after the last write. */
    @Override
    default void close() {
    }
}
