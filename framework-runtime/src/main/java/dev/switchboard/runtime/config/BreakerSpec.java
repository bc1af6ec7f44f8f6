package dev.switchboard.runtime.config;

import java.time.Duration;

/**
 * A provider's circuit breaker: it opens when {@code failureThreshold} of the last
 * {@code failureWindow} attempts failed with a provider-side fault (5xx, 429, connection, timeout,
 * malformed answer), rejects calls for {@code delay}, then lets {@code successThreshold} trial calls
 * decide whether to close. Immutable.
 *
 * <pre>{@code circuit_breaker: { failure_threshold: 5, failure_window: 10, delay: 30s, success_threshold: 1 }}</pre>
 *
 * @param enabled          whether the breaker is on
 * @param failureThreshold failures that open it
 * @param failureWindow    recent attempts counted
 * @param delay            time open before a trial
 * @param successThreshold trial successes that close it
 */
public record BreakerSpec(boolean enabled, int failureThreshold, int failureWindow, Duration delay, int successThreshold) {
    /** Opens after 5 failures of the last 10 attempts, for 30 s. */
    public static final BreakerSpec DEFAULT = new BreakerSpec(true, 5, 10, Duration.ofSeconds(30), 1);

    /** Validates ranges. */
    public BreakerSpec {
        if (failureThreshold < 1 || failureWindow < failureThreshold) {
            throw new IllegalArgumentException("failure_threshold must be >= 1 and <= failure_window");
        }
        if (successThreshold < 1) {
            throw new IllegalArgumentException("success_threshold must be >= 1");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
    }
}
