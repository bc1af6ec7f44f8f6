package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * Idempotent writes for records made elsewhere (the gateway's {@code /v2/logs/ingest}): a record whose id is
 * already stored is skipped, so a batch sent twice is stored once. Unlike {@link CallLogStore#write}, which
 * only the writer thread calls, {@link #ingest} may be called from several threads at once; implementations
 * are thread-safe.
 */
public interface CallLogIngest {

    /**
     * Stores the records whose ids are not stored yet, all or nothing if the store can.
     *
     * @return how many were new
     * @throws Exception when the records were not stored (the sender should retry)
     */
    int ingest(List<CallRecord> records) throws Exception;
}
