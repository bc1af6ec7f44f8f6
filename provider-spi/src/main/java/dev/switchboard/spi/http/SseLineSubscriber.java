package dev.switchboard.spi.http;

import java.io.EOFException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream's lines one at a time into an {@link SseParser}, completing {@code result} at the end
 * of the body, on a listener failure, or when no line arrives within the idle timeout.
 */
final class SseLineSubscriber implements Flow.Subscriber<String> {
    private final SseParser parser;
    private final CompletableFuture<HttpResult> result;
    private final long idleMillis;
    private volatile Flow.Subscription subscription;
    private volatile HttpResult head;
    private volatile long lastLineNanos = System.nanoTime();
    private volatile ScheduledFuture<?> watchdog;

    SseLineSubscriber(SseListener listener, CompletableFuture<HttpResult> result, Duration idle) {
        this.parser = new SseParser(listener);
        this.result = result;
        this.idleMillis = Math.max(1, idle.toMillis());
    }

    void opened(HttpResult head) {
        this.head = head;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
            return;
        }
        lastLineNanos = System.nanoTime();
        watchdog = JdkHttpTransport.TIMER.scheduleAtFixedRate(this::checkIdle, idleMillis, Math.max(10, idleMillis / 4), TimeUnit.MILLISECONDS);
        s.request(1);
    }

    private void checkIdle() {
        if (System.nanoTime() - lastLineNanos > TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
            result.completeExceptionally(new HttpTimeoutException("stream idle for more than " + idleMillis + " ms"));
        }
    }

    @Override
    public void onNext(String line) {
        lastLineNanos = System.nanoTime();
        if (result.isDone()) {
            return;
        }
        try {
            parser.line(line);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t instanceof java.io.IOException ? t : new EOFException("stream failed: " + t));
    }

    @Override
    public void onComplete() {
        try {
            parser.end();
            result.complete(head);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Stops the idle watchdog and, when {@code abort}, cancels the body subscription (closing the connection). */
    void stop(boolean abort) {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
        Flow.Subscription s = subscription;
        if (abort && s != null) {
            s.cancel();
        }
    }
}
