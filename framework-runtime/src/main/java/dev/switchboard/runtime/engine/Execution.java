package dev.switchboard.runtime.engine;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;

/**
 * What every call in flight has, chat ({@link CallExecution}) or embeddings ({@link EmbeddingsExecution}): its
 * single outcome ({@link #result}), the attempts made and their failures, the request in flight (cancelled when the
 * call ends), and the total timeout. Subclasses run the attempts ({@link #begin}) and complete {@link #result}.
 * Thread-safe: callbacks arrive on provider threads and the timer thread; state changes go through
 * {@link #result}'s single completion, the attempt lists under this object's lock.
 *
 * @param <R> the result of a successful call
 */
abstract class Execution<R> {
    final InlineScheduler scheduler;
    final ResolvedVariant variant;
    final String callId;
    final long startNanos = System.nanoTime();
    final Instant startedAt = Instant.now();
    final CompletableFuture<R> result = new CompletableFuture<>();
    CallObserver.Call watch = CallObserver.Call.NOOP;
    private final List<Attempt> attempts = new ArrayList<>(2);
    private final List<Throwable> causes = new ArrayList<>(2);
    private volatile CompletableFuture<?> inFlight;
    /** The target of the attempt {@link #inFlight} belongs to. */
    private volatile Target inFlightTarget;
    private volatile ScheduledFuture<?> timeoutTask;

    Execution(ResolvedVariant variant, String callId, InlineScheduler scheduler) {
        this.scheduler = scheduler;
        this.variant = variant;
        this.callId = callId;
    }

    /** Sets the observers' watcher; call before {@link #start()}. */
    final Execution<R> watch(CallObserver.Call w) {
        this.watch = w;
        return this;
    }

    /** Runs the first attempt; called once by {@link #start()}. */
    abstract void begin();

    /** Tells the watcher that the call succeeded with {@code r}. */
    abstract void reportSuccess(R r);

    /** Starts the call: reports its end to the watcher, runs it and arms the timeout when it did not end at once. */
    final CompletableFuture<R> start() {
        result.whenComplete((r, e) -> {
            cleanUp();
            if (e == null) {
                reportSuccess(r);
            } else {
                watch.failure(unwrap(e), attemptsSoFar());
            }
        });
        begin();
        // Most in-process calls (and every mock call) finish synchronously: only arm the timer when needed.
        long remaining = variant.timeout().toNanos() - (System.nanoTime() - startNanos);
        if (!result.isDone()) {
            timeoutTask = scheduler.later(this::onTimeout, Math.max(0, remaining));
            if (result.isDone()) {
                timeoutTask.cancel(false);
            }
        }
        return result;
    }

    /** Notes the request now in flight at {@code target}, to be cancelled when the call ends. */
    final void sent(Target target, CompletableFuture<?> f) {
        inFlightTarget = target;
        inFlight = f;
    }

    /** Records an attempt refused by {@code target}'s open circuit breaker (never sent). */
    final void circuitOpen(Target target) {
        ProviderException open = ProviderException.builder(target.ref().provider()).model(target.ref().model())
                .kind(ProviderCallException.Kind.CIRCUIT_OPEN).retryable(false)
                .message("circuit breaker of " + target.ref().provider() + " is open").build();
        record(new Attempt(target.ref().provider(), target.ref().model(), Attempt.Outcome.CIRCUIT_OPEN, 0, open.getMessage(), Duration.ZERO),
                open);
    }

    /** Records the attempt at {@code target} started at {@code t0} ({@link System#nanoTime}) that ended with {@code error} (null: success). */
    final Attempt recordAttempt(Target target, long t0, Throwable error) {
        Throwable e = error == null ? null : unwrap(error);
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        String provider = target.ref().provider();
        String model = target.ref().model();
        Attempt attempt;
        if (e == null) {
            attempt = new Attempt(provider, model, Attempt.Outcome.SUCCESS, 200, null, latency);
        } else if (e instanceof CancellationException) {
            attempt = new Attempt(provider, model, Attempt.Outcome.CANCELLED, 0, "cancelled", latency);
        } else {
            int status = e instanceof ProviderCallException pe ? pe.statusCode() : 0;
            attempt = new Attempt(provider, model, Attempt.Outcome.FAILURE, status, String.valueOf(e.getMessage()), latency);
        }
        record(attempt, e);
        return attempt;
    }

    private synchronized void record(Attempt attempt, Throwable cause) {
        attempts.add(attempt);
        if (cause != null) {
            causes.add(cause);
        }
    }

    final synchronized int attemptCount() {
        return attempts.size();
    }

    final synchronized List<Attempt> attemptsSoFar() {
        return attempts.isEmpty() ? List.of() : List.copyOf(attempts);
    }

    /** Ends the call with every attempt's failure. */
    final void failAll() {
        List<Attempt> a;
        List<Throwable> c;
        synchronized (this) {
            a = List.copyOf(attempts);
            c = List.copyOf(causes);
        }
        result.completeExceptionally(new AllAttemptsFailedException(variant.deployment(), a, c));
    }

    private void onTimeout() {
        CompletableFuture<?> f = inFlight;
        Target t = inFlightTarget;
        String waitingOn = f != null && !f.isDone() && t != null ? t.ref().toString() : null;
        result.completeExceptionally(new CallTimeoutException(variant.deployment(), variant.timeout(), attemptsSoFar(), waitingOn));
    }

    /** Once the call ended: the timer disarmed, the request in flight cancelled. */
    void cleanUp() {
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

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
