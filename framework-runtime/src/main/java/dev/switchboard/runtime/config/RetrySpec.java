package dev.switchboard.runtime.config;

import java.time.Duration;
import java.util.Set;

/**
 * A retry policy: {@code count} retries after the first attempt on the listed status codes (and, when
 * {@code onConnectionErrors}, on connection failures, timeouts, malformed answers and cut streams), with
 * exponential backoff from {@code backoff} up to {@code maxBackoff} and jitter. A provider's
 * {@code Retry-After} replaces the computed delay, bounded by {@code maxBackoff}. Immutable.
 *
 * <pre>{@code retry: { count: 3, on_codes: [429, 500, 503], backoff: 200ms, max_backoff: 10s, on_connection_errors: true }}</pre>
 *
 * @param count              retries after the first attempt
 * @param onCodes            HTTP statuses that are retried
 * @param backoff            first delay
 * @param maxBackoff         largest delay
 * @param onConnectionErrors whether failures without status are retried
 */
public record RetrySpec(int count, Set<Integer> onCodes, Duration backoff, Duration maxBackoff, boolean onConnectionErrors) {
    /** No retries. */
    public static final RetrySpec NONE = new RetrySpec(0, Set.of(), Duration.ofMillis(200), Duration.ofSeconds(10), true);
    /** Default codes retried. */
    public static final Set<Integer> DEFAULT_CODES = Set.of(408, 429, 500, 502, 503, 504);

    /** Validates ranges. */
    public RetrySpec {
        if (count < 0 || count > 20) {
            throw new IllegalArgumentException("count must be between 0 and 20, was " + count);
        }
        onCodes = Set.copyOf(onCodes);
        for (int code : onCodes) {
            if (code < 100 || code > 599) {
                throw new IllegalArgumentException("on_codes has " + code + ", which is not an HTTP status");
            }
        }
        if (backoff.isNegative() || maxBackoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("backoff must be >= 0 and max_backoff >= backoff");
        }
    }

    /**
     * Written out (docs/design.md, "Map keys made per call"): the engine hashes a call's retry policy with its
     * executor key on every call.
     */
    @Override
    public int hashCode() {
        int h = 31 * count + onCodes.hashCode();
        h = 31 * h + backoff.hashCode();
        h = 31 * h + maxBackoff.hashCode();
        return 31 * h + Boolean.hashCode(onConnectionErrors);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RetrySpec r && count == r.count && onConnectionErrors == r.onConnectionErrors
                && onCodes.equals(r.onCodes) && backoff.equals(r.backoff) && maxBackoff.equals(r.maxBackoff);
    }
}
