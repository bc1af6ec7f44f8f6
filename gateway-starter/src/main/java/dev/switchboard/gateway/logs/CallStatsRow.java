package dev.switchboard.gateway.logs;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The calls of one group in one time bucket. Immutable.
 *
 * @param group        the group's value (a deployment key, model or provider entry); null for calls without one
 * @param bucketStart  the bucket's start (UTC)
 * @param requests     calls
 * @param errors       calls that failed
 * @param p50LatencyMs median latency (interpolated)
 * @param p95LatencyMs 95th percentile latency
 * @param p99LatencyMs 99th percentile latency
 * @param inputTokens  input tokens, summed
 * @param outputTokens output tokens, summed
 * @param costUsd      cost, summed over the calls that have a price; zero when none has
 */
public record CallStatsRow(String group, Instant bucketStart, long requests, long errors, double p50LatencyMs,
                           double p95LatencyMs, double p99LatencyMs, long inputTokens, long outputTokens, BigDecimal costUsd) {
    /** errors / requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
