package dev.switchboard.gateway.transport;

import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseListener;
import dev.switchboard.spi.http.SseParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request through {@link NettyHttpTransport}: waits for a pooled connection, writes the request, reads the
 * answer (a whole body, or a 2xx event stream fed line by line to an {@link SseParser}), enforces
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
    private volatile Channel channel;
    private UpstreamHandler handler;
    private ScheduledFuture<?> timer;
    private long deadline;
    private boolean informational;
    private int status;
    private Map<String, List<String>> headers;
    private boolean keepAlive;
    private byte[] body;
    private int bodyLength;
    private SseParser parser;
    private SseLineDecoder lines;
    private StreamControl control;
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

    void waiting() {
        state = WAITING;
    }

    void connecting() {
        state = CONNECTING;
    }

    /** Sends the request on {@code ch}, a connection now reserved for this call. On the loop. */
    void assign(Channel ch) {
        state = SENT;
        channel = ch;
        handler = (UpstreamHandler) ch.pipeline().last();
        handler.begin(this);
        ch.writeAndFlush(request(pool.origin()), ch.voidPromise());
    }

    private FullHttpRequest request(Origin origin) {
        URI uri = call.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        byte[] bytes = call.body();
        ByteBuf content = bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(call.method()), target, content);
        HttpHeaders h = req.headers();
        h.set(HttpHeaderNames.HOST, origin.hostHeader());
        call.headers().forEach(h::set);
        if (bytes.length > 0 || !"GET".equals(call.method()) && !"HEAD".equals(call.method())) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        if (!h.contains(HttpHeaderNames.USER_AGENT)) {
            h.set(HttpHeaderNames.USER_AGENT, "switchboard-gateway");
        }
        return req;
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
        headers = headers(r.headers());
        keepAlive = HttpUtil.isKeepAlive(r);
        deadline = System.nanoTime() + timeoutNanos;
        if (listener != null && status < 300) {
            state = STREAM;
            parser = new SseParser(listener);
            lines = new SseLineDecoder(transport.maxBodyBytes);
            control = new StreamControl(this);
            return;
        }
        state = BODY;
        long length = HttpUtil.getContentLength(r, -1L);
        if (length > transport.maxBodyBytes) {
            fail(new IOException("the answer's body of " + length + " bytes exceeds the limit of " + transport.maxBodyBytes));
            return;
        }
        body = length >= 0 ? new byte[(int) length] : new byte[1024];
    }

    private void content(ByteBuf buf) {
        try {
            if (state == BODY) {
                append(buf);
                return;
            }
            StreamControl previous = StreamControl.enter(control);
            int n;
            try {
                n = lines.feed(buf, this);
            } finally {
                StreamControl.exit(previous);
            }
            if (n > 0 && !paused) {
                deadline = System.nanoTime() + timeoutNanos;
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void append(ByteBuf buf) throws IOException {
        int n = buf.readableBytes();
        if ((long) bodyLength + n > transport.maxBodyBytes) {
            throw new IOException("the answer's body exceeds the limit of " + transport.maxBodyBytes + " bytes");
        }
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(transport.maxBodyBytes, Math.max(bodyLength + (long) n, body.length * 2L)));
        }
        buf.getBytes(buf.readerIndex(), body, bodyLength, n);
        bodyLength += n;
    }

    @Override
    public boolean line(String line) {
        try {
            parser.line(line);
        } catch (RuntimeException e) {
            fail(e); // the listener's own failure (SseListener's contract)
        }
        return state != DONE;
    }

    private void end() {
        if (state == STREAM) {
            String last = lines.finish();
            StreamControl previous = StreamControl.enter(control);
            try {
                if (last != null && !line(last)) {
                    return;
                }
                parser.end();
            } catch (RuntimeException e) {
                fail(e);
                return;
            } finally {
                StreamControl.exit(previous);
            }
            succeed(new HttpResult(status, headers, EMPTY));
        } else if (state == BODY) {
            succeed(new HttpResult(status, headers, bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength)));
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

    private static Map<String, List<String>> headers(HttpHeaders h) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> e : h) {
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(e.getValue());
        }
        return out;
    }
}
