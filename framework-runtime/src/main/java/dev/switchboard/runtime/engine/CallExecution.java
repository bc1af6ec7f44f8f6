package dev.switchboard.runtime.engine;

import dev.failsafe.CircuitBreakerOpenException;
import dev.switchboard.api.Attempt;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One call in flight: runs its targets in order (each under its retry policy and circuit breaker),
 * records every attempt, enforces the total timeout and, for streams, stops retrying once output has
 * reached the caller (so output is never duplicated). Thread-safe: callbacks arrive on provider
 * threads and the timer thread; state changes go through {@link #result}'s single completion.
 */
final class CallExecution extends Execution<CallResult> {
    private final ChatRequest request;
    private final ChunkSink sink;
    private volatile boolean outputStarted;
    private volatile long firstChunkNanos;
    private volatile CompletableFuture<?> execution;

    CallExecution(ResolvedVariant variant, ChatRequest request, ChunkSink sink, String callId, InlineScheduler scheduler) {
        super(variant, callId, scheduler);
        this.request = request;
        this.sink = sink;
    }

    @Override
    void begin() {
        runTarget(0);
    }

    @Override
    void reportSuccess(CallResult r) {
        watch.success(r);
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
        sent(target, f);
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

    private void succeed(Target target, ChatResponse response) {
        List<Attempt> a = attemptsSoFar();
        long end = System.nanoTime();
        result.complete(new CallResult(response, target.ref(), callId, variant.deployment(), variant.variant(), variant.version(),
                a, startedAt, Duration.ofNanos(end - startNanos),
                firstChunkNanos == 0 ? null : Duration.ofNanos(firstChunkNanos - startNanos)));
    }

    @Override
    void cleanUp() {
        super.cleanUp();
        CompletableFuture<?> x = execution;
        if (x != null && !x.isDone()) {
            x.cancel(true);
        }
    }
}
