package dev.switchboard.gateway.logs;

import java.util.List;

/**
 * Aggregates a call log for {@code /v1/stats}; implemented by stores that can (the JDBC store, in SQL).
 * Implementations are thread-safe.
 */
public interface CallLogStatistics {
    /**
     * Requests, errors, latency percentiles, tokens and cost per group and time bucket, ordered by bucket, then
     * group; buckets without calls are left out.
     */
    List<CallStatsRow> stats(CallStatsQuery query) throws Exception;
}
