package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreakerOpenException;
import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call in flight: runs its targets in order (each under its retry policy and circuit breaker),
 * records every attempt, enforces the total timeout and, for streams, stops retrying once output has
 * reached the caller (so output is never duplicated). Thread-safe: callbacks arrive on provider
 * threads and the timer thread; state changes go through {@link #result}'s single completion.
 */
final class CallExecution {
    private final InlineScheduler scheduler;
    private final ResolvedVariant variant;
    private final ChatRequest request;
    private final ChunkSink sink;
    private final String callId;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final List<Attempt> attempts = new ArrayList<>(2);
    private final List<Throwable> causes = new ArrayList<>(2);
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    private volatile boolean outputStarted;
    private volatile long firstChunkNanos;
    private volatile CompletableFuture<?> inFlight;
    /** The target of the attempt {@link #inFlight} belongs to. */
    private volatile Target inFlightTarget;
    private volatile CompletableFuture<?> execution;
    private volatile ScheduledFuture<?> timeoutTask;
    private CallObserver.Call watch = CallObserver.Call.NOOP;

    CallExecution(ResolvedVariant variant, ChatRequest request, ChunkSink sink, String callId, InlineScheduler scheduler) {
        this.scheduler = scheduler;
        this.variant = variant;
        this.request = request;
        this.sink = sink;
        this.callId = callId;
    }

    /** Sets the observers' watcher; call before {@link #start()}. */
    CallExecution watch(CallObserver.Call w) {
        this.watch = w;
        return this;
    }

    CompletableFuture<CallResult> start() {
        result.whenComplete((r, e) -> {
            cleanUp();
            if (e == null) {
                watch.success(r);
            } else {
                watch.failure(unwrap(e), attemptsSoFar());
            }
        });
        runTarget(0);
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

    /**
     * Runs target {@code index}: its first attempt directly (checking and feeding the provider's circuit
     * breaker), then, if that failed with a retryable failure, its retries under the Failsafe executor
     * after the backoff; then the next target.
     */
    private void runTarget(int index) {
        if (result.isDone()) {
            return;
        }
        List<Target> targets = variant.targets();
        if (index >= targets.size()) {
            failAll();
            return;
        }
        Target target = targets.get(index);
        ChatRequest req = index == 0 ? request : request.toBuilder().model(target.ref().model()).build();
        if (target.breaker() != null && !target.breaker().tryAcquirePermit()) {
            circuitOpen(target);
            runTarget(index + 1);
            return;
        }
        attempt(target, req).whenComplete((response, error) -> {
            if (error == null) {
                if (target.breaker() != null) {
                    target.breaker().recordSuccess();
                }
                succeed(target, response);
                return;
            }
            Throwable e = unwrap(error);
            if (target.breaker() != null) {
                target.breaker().recordException(e);
            }
            if (e instanceof AfterOutputFailure a) {
                result.completeExceptionally(a.getCause());
            } else if (target.retry().count() > 0 && Policies.shouldRetry(target.retry(), e)) {
                long delay = Policies.delay(target.retry(), 1, e).toNanos();
                if (delay <= 0) {
                    retry(index, target, req);
                } else {
                    scheduler.later(() -> retry(index, target, req), delay);
                }
            } else {
                runTarget(index + 1);
            }
        });
    }

    private void retry(int index, Target target, ChatRequest req) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<ChatResponse> f = target.retries().getStageAsync(() -> attempt(target, req));
        execution = f;
        f.whenComplete((response, error) -> {
            if (error == null) {
                succeed(target, response);
                return;
            }
            Throwable e = unwrap(error);
            if (e instanceof CircuitBreakerOpenException) {
                circuitOpen(target);
            }
            if (e instanceof AfterOutputFailure a) {
                result.completeExceptionally(a.getCause());
            } else {
                runTarget(index + 1);
            }
        });
    }

    private void circuitOpen(Target target) {
        ProviderException open = circuitOpenFailure(target);
        record(circuitOpenAttempt(target, open), open);
    }

    /** The failure of an attempt refused by {@code target}'s open circuit breaker (never sent). */
    static ProviderException circuitOpenFailure(Target target) {
        return ProviderException.builder(target.ref().provider()).model(target.ref().model())
                .kind(ProviderCallException.Kind.CIRCUIT_OPEN).retryable(false)
                .message("circuit breaker of " + target.ref().provider() + " is open").build();
    }

    /** The record of an attempt refused by an open circuit breaker. */
    static Attempt circuitOpenAttempt(Target target, ProviderException open) {
        return new Attempt(target.ref().provider(), target.ref().model(), Attempt.Outcome.CIRCUIT_OPEN, 0, open.getMessage(), Duration.ZERO);
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

    private CompletableFuture<ChatResponse> attempt(Target target, ChatRequest req) {
        if (result.isDone()) {
            return CompletableFuture.failedFuture(new CancellationException("call already ended"));
        }
        CallObserver.AttemptWatch w = watch.attempt(target.ref().provider(), target.ref().model(), attemptCount() + 1);
        long t0 = System.nanoTime();
        CompletableFuture<ChatResponse> f;
        AutoCloseable scope = w.enter();
        try {
            target.provider().capabilities().check(target.ref().provider(), req, sink != null);
            if (sink != null) {
                sink.attempting(target.ref().provider(), target.ref().model());
            }
            f = sink == null ? target.provider().chat(req) : target.provider().stream(req, this::onChunk);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(ProviderException.fromFailure(target.ref().provider(), req.model(), e));
        } finally {
            Observers.closeQuietly(scope);
        }
        inFlightTarget = target;
        inFlight = f;
        CompletableFuture<ChatResponse> out = new CompletableFuture<>();
        f.whenComplete((r, e) -> {
            w.end(recordAttempt(target, t0, e), r, e == null ? null : unwrap(e));
            if (e == null) {
                out.complete(r);
            } else {
                // Once output reached the caller, no policy may repeat the request: hide the failure from them.
                Throwable u = unwrap(e);
                out.completeExceptionally(outputStarted ? new AfterOutputFailure(u) : u);
            }
        });
        return out;
    }

    private void onChunk(ChatChunk chunk) {
        if (result.isDone()) {
            throw new CancellationException("call already ended");
        }
        if (!outputStarted && chunk.hasContent()) {
            firstChunkNanos = System.nanoTime();
            outputStarted = true;
            watch.firstChunk();
        }
        sink.accept(chunk);
    }

    private Attempt recordAttempt(Target target, long t0, Throwable error) {
        Throwable e = error == null ? null : unwrap(error);
        Attempt attempt = attemptOf(target, t0, e);
        record(attempt, e);
        return attempt;
    }

    /** The record of an attempt at {@code target} started at {@code t0} ({@link System#nanoTime}) that ended with {@code e} (null: success). */
    static Attempt attemptOf(Target target, long t0, Throwable e) {
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        String provider = target.ref().provider();
        String model = target.ref().model();
        if (e == null) {
            return new Attempt(provider, model, Attempt.Outcome.SUCCESS, 200, null, latency);
        } else if (e instanceof CancellationException) {
            return new Attempt(provider, model, Attempt.Outcome.CANCELLED, 0, "cancelled", latency);
        }
        int status = e instanceof ProviderCallException pe ? pe.statusCode() : 0;
        return new Attempt(provider, model, Attempt.Outcome.FAILURE, status, String.valueOf(e.getMessage()), latency);
    }

    private synchronized int attemptCount() {
        return attempts.size();
    }

    private synchronized List<Attempt> attemptsSoFar() {
        return attempts.isEmpty() ? List.of() : List.copyOf(attempts);
    }

    private synchronized void record(Attempt attempt, Throwable cause) {
        attempts.add(attempt);
        if (cause != null) {
            causes.add(cause);
        }
    }

    private void succeed(Target target, ChatResponse response) {
        List<Attempt> a;
        synchronized (this) {
            a = List.copyOf(attempts);
        }
        long end = System.nanoTime();
        result.complete(new CallResult(response, target.ref(), callId, variant.deployment(), variant.variant(), variant.version(),
                a, startedAt, Duration.ofNanos(end - startNanos),
                firstChunkNanos == 0 ? null : Duration.ofNanos(firstChunkNanos - startNanos)));
    }

    private void onTimeout() {
        List<Attempt> a;
        synchronized (this) {
            a = List.copyOf(attempts);
        }
        result.completeExceptionally(new CallTimeoutException(variant.deployment(), variant.timeout(), a, waitingOn(inFlight, inFlightTarget)));
    }

    /** The {@code provider/model} of an attempt still in flight, or null. */
    static String waitingOn(CompletableFuture<?> inFlight, Target target) {
        return inFlight != null && !inFlight.isDone() && target != null ? target.ref().toString() : null;
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
        CompletableFuture<?> x = execution;
        if (x != null && !x.isDone()) {
            x.cancel(true);
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
