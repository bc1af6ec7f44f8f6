package dev.switchboard.runtime.engine;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One embeddings call in flight. It goes to the resolved variant's primary model only: another model's vectors
 * live in another space, so fallbacks do not apply. Its attempts run under that model's retry spec and its
 * provider's circuit breaker (the same breaker chat calls feed), within the variant's timeout, and every attempt
 * is recorded and reported to the observers as a chat call's are. Thread-safe: callbacks arrive on provider
 * threads and the timer thread; the outcome is {@link #result}'s single completion.
 */
final class EmbeddingsExecution {
    private final InlineScheduler scheduler;
    private final ResolvedVariant variant;
    private final Target target;
    private final EmbeddingRequest request;
    private final String callId;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final List<Attempt> attempts = new ArrayList<>(1);
    private final List<Throwable> causes = new ArrayList<>(1);
    private final CompletableFuture<EmbeddingsResult> result = new CompletableFuture<>();
    private volatile CompletableFuture<?> inFlight;
    /** The target of the attempt {@link #inFlight} belongs to. */
    private volatile Target inFlightTarget;
    private volatile ScheduledFuture<?> timeoutTask;
    private CallObserver.Call watch = CallObserver.Call.NOOP;

    EmbeddingsExecution(ResolvedVariant variant, EmbeddingRequest request, String callId, InlineScheduler scheduler) {
        this.scheduler = scheduler;
        this.variant = variant;
        this.target = variant.targets().get(0);
        this.request = request;
        this.callId = callId;
    }

    /** Sets the observers' watcher; call before {@link #start()}. */
    EmbeddingsExecution watch(CallObserver.Call w) {
        this.watch = w;
        return this;
    }

    CompletableFuture<EmbeddingsResult> start() {
        result.whenComplete((r, e) -> {
            cleanUp();
            if (e == null) {
                watch.success(r);
            } else {
                watch.failure(CallExecution.unwrap(e), attemptsSoFar());
            }
        });
        attempt(1);
        long remaining = variant.timeout().toNanos() - (System.nanoTime() - startNanos);
        if (!result.isDone()) {
            timeoutTask = scheduler.later(this::onTimeout, Math.max(0, remaining));
            if (result.isDone()) {
                timeoutTask.cancel(false);
            }
        }
        return result;
    }

    /** Attempt {@code number} (1-based): checks and feeds the breaker; a retryable failure schedules the next. */
    private void attempt(int number) {
        if (result.isDone()) {
            return;
        }
        if (target.breaker() != null && !target.breaker().tryAcquirePermit()) {
            ProviderException open = CallExecution.circuitOpenFailure(target);
            record(CallExecution.circuitOpenAttempt(target, open), open);
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
        inFlightTarget = target;
        inFlight = f;
        f.whenComplete((response, error) -> {
            Throwable e = error == null ? null : CallExecution.unwrap(error);
            Attempt a = CallExecution.attemptOf(target, t0, e);
            record(a, e);
            w.end(a, null, e);
            if (e == null) {
                if (target.breaker() != null) {
                    target.breaker().recordSuccess();
                }
                succeed(response);
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

    private synchronized void record(Attempt attempt, Throwable cause) {
        attempts.add(attempt);
        if (cause != null) {
            causes.add(cause);
        }
    }

    private synchronized List<Attempt> attemptsSoFar() {
        return attempts.isEmpty() ? List.of() : List.copyOf(attempts);
    }

    private void succeed(EmbeddingResponse response) {
        result.complete(new EmbeddingsResult(response, target.ref(), callId, variant.deployment(), variant.variant(), variant.version(),
                attemptsSoFar(), startedAt, Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    private void failAll() {
        List<Attempt> a;
        List<Throwable> c;
        synchronized (this) {
            a = List.copyOf(attempts);
            c = List.copyOf(causes);
        }
        result.completeExceptionally(new AllAttemptsFailedException(variant.deployment(), a, c));
    }

    private void onTimeout() {
        result.completeExceptionally(new CallTimeoutException(variant.deployment(), variant.timeout(), attemptsSoFar(),
                CallExecution.waitingOn(inFlight, inFlightTarget)));
    }

    private void cleanUp() {
        ScheduledFuture<?> t = timeoutTask;
        if (t != null) {
            try {
                t.cancel(false);
            } catch (RuntimeException e) {
                // a host scheduler that is shutting down may refuse: the timeout then finds the call done
            }
        }
        CompletableFuture<?> f = inFlight;
        if (f != null && !f.isDone()) {
            f.cancel(true);
        }
    }
}
