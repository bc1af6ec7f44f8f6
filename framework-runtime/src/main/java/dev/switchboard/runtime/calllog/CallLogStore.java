package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * Where call records are kept: the SPI a log store implements (in memory, JDBC, a file, a remote
 * collector). Searching is a separate interface, {@link CallLogQuery}, which a store may also implement.
 *
 * <p>Only the {@link CallLogWriter}'s own thread writes, one batch at a time ({@link #newBatch()}), off the
 * request path; a write may block (a database insert) but should not for long, since records queue up behind
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
     * A new, empty batch for the writer thread to fill with records as it builds them and then {@link Batch#write
     * write}. The default batch keeps its records and hands them to {@link #write(List)}. A store may return its own
     * that does its per-record work as each record is {@link Batch#add added} (while what the record was built from
     * is still in the processor's cache) and keeps only what it needs to store it, not the record: the writer holds
     * no record of such a batch, so records die young instead of waiting for their batch (up to the linger time)
     * through a young collection. Called on the writer thread, which {@link Batch#close closes} each batch before
     * it asks for the next.
     */
    default Batch newBatch() {
        return new RecordBatch(this);
    }

    /**
     * The records of one write, gathered one by one by the writer thread (see {@link #newBatch()}). Used by one
     * thread at a time.
     */
    interface Batch extends AutoCloseable {
        /**
         * Adds the batch's next record.
         *
         * @throws RuntimeException when it could not; the record is then not in the batch (the writer drops and
         *         counts it)
         */
        void add(CallRecord record);

        /** How many records were added. */
        int size();

        /**
         * Stores the batch's records, all or nothing if the store can. The writer calls it again after it threw
         * (with backoff, a few times), so a batch keeps what it holds until it is closed.
         *
         * @throws Exception when the batch was not stored
         */
        void write() throws Exception;

        /** Ends the batch, written or given up, and releases what it holds. Never throws. */
        @Override
        void close();
    }

    /** Releases the store's resources; called once, after the last write. */
    @Override
    default void close() {
    }
}
