package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.RetryPolicy;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.runtime.config.BreakerSpec;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.spi.ChatResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the Failsafe policies of a call from their specs: retry policies are cached per spec (they
 * are immutable and shareable); a circuit breaker is built per provider entry by the registry.
 * Thread-safe.
 */
final class Policies {
    private final ConcurrentMap<RetrySpec, RetryPolicy<ChatResponse>> retries = new ConcurrentHashMap<>();

    /**
     * The retry policy of the attempts after the first under {@code spec} (the engine makes the first
     * attempt itself, so that a call that succeeds at once costs no policy execution): its first
     * execution is the first retry, and it allows {@code count - 1} more.
     */
    RetryPolicy<ChatResponse> retriesAfterFirst(RetrySpec spec) {
        return retries.computeIfAbsent(spec, Policies::buildRetry);
    }

    private static RetryPolicy<ChatResponse> buildRetry(RetrySpec spec) {
        // The delay function owns backoff and jitter, so that a provider's Retry-After is honoured exactly
        // (Failsafe's own jitter would shorten it). Attempt numbers are shifted by the first attempt.
        return RetryPolicy.<ChatResponse>builder()
                .handleIf((r, e) -> shouldRetry(spec, e))
                .withMaxRetries(Math.max(0, spec.count() - 1))
                .withDelayFn(ctx -> delay(spec, ctx.getAttemptCount() + 1, ctx.getLastException()))
                .build();
    }

    /**
     * The wait before retry number {@code attempt} (1-based): the provider's {@code Retry-After} when it
     * gave one, else exponential backoff with ±20% jitter; never more than the spec's maximum.
     */
    static Duration delay(RetrySpec spec, int attempt, Throwable failure) {
        long max = spec.maxBackoff().toNanos();
        if (failure instanceof ProviderCallException pe && pe.retryAfter().isPresent()) {
            return Duration.ofNanos(Math.min(pe.retryAfter().get().toNanos(), max));
        }
        long base = spec.backoff().toNanos();
        if (base == 0) {
            return Duration.ZERO;
        }
        double exp = base * Math.pow(2, Math.max(0, attempt - 1));
        double jittered = exp * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) Math.min(jittered, max));
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

    /**
     * A circuit breaker for one provider entry, counting provider-side faults only; state changes go to
     * {@code transitions} as (from, to).
     */
    static CircuitBreaker<ChatResponse> breaker(BreakerSpec spec, java.util.function.BiConsumer<String, String> transitions) {
        return CircuitBreaker.<ChatResponse>builder()
                .handleIf((r, e) -> isProviderFault(e))
                .onOpen(e -> transitions.accept(e.getPreviousState().name(), "OPEN"))
                .onHalfOpen(e -> transitions.accept(e.getPreviousState().name(), "HALF_OPEN"))
                .onClose(e -> transitions.accept(e.getPreviousState().name(), "CLOSED"))
                .withFailureThreshold(spec.failureThreshold(), spec.failureWindow())
                .withSuccessThreshold(spec.successThreshold())
                .withDelay(spec.delay())
                .build();
    }

    /** 5xx, 429, connection failures, timeouts, malformed answers and cut streams. */
    static boolean isProviderFault(Throwable e) {
        if (e instanceof AfterOutputFailure a) {
            e = a.getCause();
        }
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
