package dev.switchboard.runtime.calllog;

import java.util.Optional;

/**
 * Reads a call log: what the gateway's {@code /v1/logs} endpoints and panel need. Separate from
 * {@link CallLogStore} so a write-only store (a remote collector) need not search, and a search index
 * may live apart from the store. Implementations are thread-safe.
 */
public interface CallLogQuery {

    /** The record of call {@code id}, if kept. */
    Optional<CallRecord> find(String id);

    /**
     * Records matching {@code filter}, newest first, one page at a time.
     *
     * @throws IllegalArgumentException for a cursor this store did not issue
     */
    CallLogPage search(CallLogFilter filter);
}
