package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.runtime.config.BreakerSpec;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.spi.ChatResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Builds the Failsafe policies of a call from their specs: retry policies are cached per spec (they
 * are immutable and shareable); a circuit breaker is built per provider entry by the registry.
 * Thread-safe.
 */
final class Policies {
    private final ConcurrentMap<RetrySpec, RetryPolicy<ChatResponse>> retries = new ConcurrentHashMap<>();

    /** The retry policy of {@code spec}. */
    RetryPolicy<ChatResponse> retry(RetrySpec spec) {
        return retries.computeIfAbsent(spec, Policies::buildRetry);
    }

    private static RetryPolicy<ChatResponse> buildRetry(RetrySpec spec) {
        RetryPolicyBuilder<ChatResponse> b = RetryPolicy.<ChatResponse>builder()
                .handleIf((r, e) -> shouldRetry(spec, e))
                .withMaxRetries(spec.count());
        if (spec.backoff().isZero()) {
            b.withDelay(Duration.ZERO);
        } else {
            b.withBackoff(spec.backoff(), spec.maxBackoff()).withJitter(0.2);
        }
        Duration max = spec.maxBackoff();
        b.withDelayFn(ctx -> {
            Throwable e = ctx.getLastException();
            if (e instanceof ProviderCallException pe && pe.retryAfter().isPresent()) {
                Duration d = pe.retryAfter().get();
                return d.compareTo(max) > 0 ? max : d;
            }
            return Duration.ofMillis(-1);
        });
        return b.build();
    }

    /** Whether a failed attempt is retried under {@code spec}. */
    static boolean shouldRetry(RetrySpec spec, Throwable e) {
        if (!(e instanceof ProviderCallException pe) || !pe.retryable()) {
            return false;
        }
        if (pe.kind() == ProviderCallException.Kind.HTTP_STATUS) {
            return spec.onCodes().contains(pe.statusCode());
        }
        return spec.onConnectionErrors();
    }

    /** A circuit breaker for one provider entry, counting provider-side faults only. */
    static CircuitBreaker<ChatResponse> breaker(BreakerSpec spec) {
        return CircuitBreaker.<ChatResponse>builder()
                .handleIf((r, e) -> isProviderFault(e))
                .withFailureThreshold(spec.failureThreshold(), spec.failureWindow())
                .withSuccessThreshold(spec.successThreshold())
                .withDelay(spec.delay())
                .build();
    }

    /** 5xx, 429, connection failures, timeouts, malformed answers and cut streams. */
    static boolean isProviderFault(Throwable e) {
        if (!(e instanceof ProviderCallException pe)) {
            return false;
        }
        switch (pe.kind()) {
            case HTTP_STATUS:
                return pe.statusCode() >= 500 || pe.statusCode() == 429;
            case CONNECTION: case TIMEOUT: case MALFORMED_RESPONSE: case STREAM_INTERRUPTED:
                return true;
            default:
                return false;
        }
    }
}
