package dev.switchboard.runtime.engine;

import dev.switchboard.api.Attempt;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.ProviderException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One embeddings call in flight. It goes to the resolved variant's primary model only: another model's vectors
 * live in another space, so fallbacks do not apply. Its attempts run under that model's retry spec and its
 * provider's circuit breaker (the same breaker chat calls feed), within the variant's timeout, and every attempt
 * is recorded and reported to the observers as a chat call's are. Thread-safe (see {@link Execution}).
 */
final class EmbeddingsExecution extends Execution<EmbeddingsResult> {
    private final Target target;
    private final EmbeddingRequest request;

    EmbeddingsExecution(ResolvedVariant variant, EmbeddingRequest request, String callId, InlineScheduler scheduler) {
        super(variant, callId, scheduler);
        this.target = variant.targets().get(0);
        this.request = request;
    }

    @Override
    void begin() {
        attempt(1);
    }

    @Override
    void reportSuccess(EmbeddingsResult r) {
        watch.success(r);
    }

    /** Attempt {@code number} (1-based): checks and feeds the breaker; a retryable failure schedules the next. */
    private void attempt(int number) {
        if (result.isDone()) {
            return;
        }
        if (target.breaker() != null && !target.breaker().tryAcquirePermit()) {
            circuitOpen(target);
            failAll();
            return;
        }
        CallObserver.AttemptWatch w = watch.attempt(target.ref().provider(), target.ref().model(), number);
        long t0 = System.nanoTime();
        CompletableFuture<EmbeddingResponse> f;
        AutoCloseable scope = w.enter();
        try {
            f = target.provider().embed(request);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(ProviderException.fromFailure(target.ref().provider(), request.model(), e));
        } finally {
            Observers.closeQuietly(scope);
        }
        sent(target, f);
        f.whenComplete((response, error) -> {
            Throwable e = error == null ? null : unwrap(error);
            Attempt a = recordAttempt(target, t0, e);
            w.end(a, null, e);
            if (e == null) {
                if (target.breaker() != null) {
                    target.breaker().recordSuccess();
                }
                result.complete(new EmbeddingsResult(response, target.ref(), callId, variant.deployment(), variant.variant(),
                        variant.version(), attemptsSoFar(), startedAt, Duration.ofNanos(System.nanoTime() - startNanos)));
                return;
            }
            if (target.breaker() != null) {
                target.breaker().recordException(e);
            }
            if (number <= target.retry().count() && Policies.shouldRetry(target.retry(), e)) {
                long delay = Policies.delay(target.retry(), number, e).toNanos();
                if (delay <= 0) {
                    attempt(number + 1);
                } else {
                    scheduler.later(() -> attempt(number + 1), delay);
                }
            } else {
                failAll();
            }
        });
    }
}
