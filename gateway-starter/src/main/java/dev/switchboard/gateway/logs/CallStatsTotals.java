package dev.switchboard.gateway.logs;

import java.math.BigDecimal;

/**
 * What statistics add up for a set of calls: requests, errors, tokens, cost and the latencies. Not thread-safe; totals
 * once remembered ({@link CallStatsRollup.Recent}) are only read, and {@link #plus} adds to them without changing them.
 */
final class CallStatsTotals {
    long requests;
    long errors;
    long inputTokens;
    long outputTokens;
    BigDecimal costUsd = BigDecimal.ZERO;
    LatencyHistogram latency = new LatencyHistogram();

    /** Counts one call. */
    void add(boolean error, long latencyMs, long input, long output, BigDecimal cost) {
        requests++;
        if (error) {
            errors++;
        }
        inputTokens += input;
        outputTokens += output;
        if (cost != null) {
            costUsd = costUsd.add(cost);
        }
        latency.record(latencyMs);
    }

    /** These totals and {@code o}'s added up, in new totals; neither changes. */
    CallStatsTotals plus(CallStatsTotals o) {
        CallStatsTotals t = new CallStatsTotals();
        t.requests = requests + o.requests;
        t.errors = errors + o.errors;
        t.inputTokens = inputTokens + o.inputTokens;
        t.outputTokens = outputTokens + o.outputTokens;
        t.costUsd = costUsd.add(o.costUsd);
        t.latency = LatencyHistogram.merged(latency, o.latency);
        return t;
    }

    /** Adds {@code o}'s totals. */
    void merge(CallStatsTotals o) {
        requests += o.requests;
        errors += o.errors;
        inputTokens += o.inputTokens;
        outputTokens += o.outputTokens;
        costUsd = costUsd.add(o.costUsd);
        latency.merge(o.latency);
    }
}
