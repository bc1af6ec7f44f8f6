package dev.switchboard.gateway.transport;

import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request through {@link NettyHttpTransport}: waits for a pooled connection, writes the request, reads the
 * answer (a whole body, or a 2xx event stream fed line by line to an {@link EventStream}), enforces
 * {@link HttpCall#timeout()} (until the head, then for the whole body or between two stream lines) and completes
 * {@link #result} once. After a complete answer on a kept-alive connection the connection goes back to the pool;
 * after anything else it is closed.
 *
 * <p>Confined to its event loop, except {@link #result}: whoever holds it may cancel it from any thread, and the
 * call then closes its connection on the loop.
 */
final class UpstreamCall implements SseLineDecoder.LineSink {
    private static final byte[] EMPTY = new byte[0];
    private static final int NEW = 0;
    private static final int WAITING = 1;
    private static final int CONNECTING = 2;
    private static final int SENT = 3;
    private static final int BODY = 4;
    private static final int STREAM = 5;
    private static final int DONE = 6;

    final CompletableFuture<HttpResult> result = new CompletableFuture<>();
    final EventLoop loop;
    private final NettyHttpTransport transport;
    private final HttpCall call;
    private final SseListener listener;
    private final long timeoutNanos;
    private int state = NEW;
    private OriginPool pool;
    private Channel channel;
    private UpstreamHandler handler;
    private ScheduledFuture<?> timer;
    private long deadline;
    private boolean informational;
    private int status;
    private Map<String, List<String>> headers;
    private boolean keepAlive;
    private Messages.Body body;
    private EventStream stream;
    private boolean paused;

    UpstreamCall(NettyHttpTransport transport, HttpCall call, SseListener listener, EventLoop loop) {
        this.transport = transport;
        this.call = call;
        this.listener = listener;
        this.loop = loop;
        this.timeoutNanos = Math.max(1, call.timeout().toNanos());
        result.whenComplete((r, e) -> {
            if (e != null) {
                onLoop(() -> fail(e)); // cancelled or failed by its holder: abandon the connection
            }
        });
    }

    /** Runs {@code task} on the loop: now when already there. */
    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.completeExceptionally(new IOException("the HTTP transport's event loop is shut down", e));
            }
        }
    }

    /** Starts: arms the timeout and asks {@code p} for a connection. On the loop. */
    void start(OriginPool p) {
        if (result.isDone()) {
            return;
        }
        pool = p;
        deadline = System.nanoTime() + timeoutNanos;
        timer = loop.schedule(this::onTimer, timeoutNanos, TimeUnit.NANOSECONDS);
        p.acquire(this);
    }

    boolean isDone() {
        return state == DONE || result.isDone();
    }

    /** Marks the call as queued for a connection ({@code queued}) or waiting for a new one to open. */
    void waiting(boolean queued) {
        state = queued ? WAITING : CONNECTING;
    }

    /** Sends the request on {@code ch}, a connection now reserved for this call. On the loop. */
    void assign(Channel ch) {
        state = SENT;
        channel = ch;
        handler = (UpstreamHandler) ch.pipeline().last();
        handler.begin(this);
        ch.writeAndFlush(Messages.request(call, pool.origin()), ch.voidPromise());
    }

    /** Takes one decoded part of the answer. On the loop. */
    void onMessage(HttpObject msg) {
        if (state == DONE) {
            return;
        }
        if (msg.decoderResult().isFailure()) {
            fail(new IOException("malformed HTTP answer from " + pool.origin() + ": " + msg.decoderResult().cause(),
                    msg.decoderResult().cause()));
            return;
        }
        if (msg instanceof HttpResponse r) {
            head(r);
        }
        if (msg instanceof HttpContent c && !informational && (state == BODY || state == STREAM)) {
            content(c.content());
        }
        if (msg instanceof LastHttpContent && state != DONE) {
            if (informational) {
                informational = false;
            } else {
                end();
            }
        }
    }

    private void head(HttpResponse r) {
        status = r.status().code();
        if (status < 200) {
            informational = true; // 100 Continue and the like: the real answer follows
            return;
        }
        headers = Messages.headers(r.headers());
        keepAlive = HttpUtil.isKeepAlive(r);
        deadline = System.nanoTime() + timeoutNanos;
        if (listener != null && status < 300) {
            state = STREAM;
            stream = new EventStream(listener, transport.maxBodyBytes, new StreamControl(this));
            return;
        }
        state = BODY;
        try {
            body = new Messages.Body(HttpUtil.getContentLength(r, -1L), transport.maxBodyBytes);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void content(ByteBuf buf) {
        try {
            if (state == BODY) {
                body.append(buf);
                return;
            }
            if (stream.feed(buf, this) > 0 && !paused) {
                deadline = System.nanoTime() + timeoutNanos;
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public boolean line(String line) {
        try {
            stream.line(line);
        } catch (RuntimeException e) {
            fail(e); // the listener's own failure (SseListener's contract)
        }
        return state != DONE;
    }

    private void end() {
        if (state == STREAM) {
            try {
                if (!stream.end(this)) {
                    return;
                }
            } catch (RuntimeException e) {
                fail(e); // the listener's, on a last event without its blank line
                return;
            }
            succeed(new HttpResult(status, headers, EMPTY));
        } else if (state == BODY) {
            succeed(new HttpResult(status, headers, body.bytes()));
        }
    }

    private void succeed(HttpResult r) {
        state = DONE;
        cancelTimer();
        Channel ch = detach();
        if (keepAlive && ch.isActive()) {
            pool.release(ch);
        } else {
            ch.close();
        }
        result.complete(r);
    }

    /** Ends the call with {@code failure} (when not ended yet), closing its connection. On the loop. */
    void fail(Throwable failure) {
        if (state == DONE) {
            return;
        }
        int was = state;
        state = DONE;
        cancelTimer();
        if (was == WAITING) {
            pool.forget(this);
        }
        Channel ch = detach();
        if (ch != null) {
            ch.close();
        }
        result.completeExceptionally(failure);
    }

    /** The connection closed under the call. On the loop. */
    void onClosed() {
        if (state != DONE) {
            fail(new IOException("connection to " + pool.origin() + " closed by the server "
                    + (state == SENT ? "before an answer" : "in the middle of the answer")));
        }
    }

    void pause() {
        if (state == STREAM && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    void resume() {
        if (state == STREAM && paused) {
            paused = false;
            deadline = System.nanoTime() + timeoutNanos;
            channel.config().setAutoRead(true);
        }
    }

    private Channel detach() {
        Channel ch = channel;
        if (ch != null) {
            handler.end(this);
            handler = null;
            channel = null;
            if (paused) {
                paused = false;
                ch.config().setAutoRead(true);
            }
        }
        return ch;
    }

    private void onTimer() {
        timer = null;
        if (state == DONE) {
            return;
        }
        long left = paused ? timeoutNanos : deadline - System.nanoTime();
        if (left > 0) {
            timer = loop.schedule(this::onTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        fail(new HttpTimeoutException(state == STREAM ? "stream idle for more than " + ms + " ms"
                : state == BODY ? "no complete answer within " + ms + " ms" : "request timed out (" + ms + " ms)"));
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            timer = null;
            t.cancel(false);
        }
    }
}
