package dev.switchboard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP request and its response: either one full JSON response, or a server-sent-event stream
 * (head, events, end). Thread-safe: any method may be called from any thread (event loop, provider
 * threads, timers); writes are queued on the channel's event loop in call order, and only the first of
 * {@link #sendJson}, {@link #fail} or {@link #startStream} decides what the response is. Once the last
 * byte is written the connection is closed unless it is kept alive, and the router is told.
 */
final class Exchange {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EOL = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** The initial size of the buffer gathering a burst of events (it grows as needed). */
    private static final int EVENTS_BUFFER = 1_024;
    private static final int NEW = 0;
    private static final int STREAMING = 1;
    private static final int DONE_STATE = 2;

    private final Channel channel;
    private final GatewayContext gw;
    private final HttpMethod method;
    private final String path;
    private final java.util.Map<String, java.util.List<String>> query;
    private final HttpHeaders requestHeaders;
    private final byte[] body;
    private final HttpVersion version;
    private final boolean keepAlive;
    private final Runnable onFinished;
    private final HttpHeaders headers = new DefaultHttpHeaders();
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final ClientWritability writability;
    private ChannelFutureListener closeListener;
    private Future<?> call;
    private int queuedOnLoop; // writes queued by the event loop and not yet written; event loop only
    private ByteBuf pendingEvents; // events sent on the event loop, not yet written (see sendEvent); event loop only
    private volatile PanelSessions.Session panelSession;

    Exchange(Channel channel, GatewayContext gw, HttpMethod method, String path, java.util.Map<String, java.util.List<String>> query,
             HttpHeaders requestHeaders, byte[] body, HttpVersion version, boolean keepAlive, Runnable onFinished) {
        this.channel = channel;
        this.writability = new ClientWritability(channel);
        this.gw = gw;
        this.method = method;
        this.path = path;
        this.query = query;
        this.requestHeaders = requestHeaders;
        this.body = body;
        this.version = version;
        this.keepAlive = keepAlive;
        this.onFinished = onFinished;
    }

    HttpMethod method() { return method; }
    String path() { return path; }
    /** The first value of query parameter {@code name}, or null. */
    String queryParam(String name) {
        java.util.List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
    /** Every query parameter with its values. */
    java.util.Map<String, java.util.List<String>> queryParams() { return query; }
    HttpHeaders requestHeaders() { return requestHeaders; }
    byte[] body() { return body; }
    GatewayContext gateway() { return gw; }

    /** Adds a response header (ignored once the response head is written); null values are skipped. */
    Exchange header(CharSequence name, Object value) {
        if (value != null) {
            synchronized (headers) {
                headers.set(name, value);
            }
        }
        return this;
    }

    /** Whether the client connection is still open. */
    boolean isOpen() {
        return channel.isActive();
    }

    /** Sends a complete JSON response; does nothing when the response was already decided. */
    void sendJson(HttpResponseStatus status, byte[] json) {
        send(status, HttpHeaderValues.APPLICATION_JSON, json);
    }

    /** Sends a complete response of any content type; does nothing when the response was already decided. */
    void send(HttpResponseStatus status, CharSequence contentType, byte[] body) {
        if (!state.compareAndSet(NEW, DONE_STATE)) {
            return;
        }
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
        head(r, contentType);
        HttpUtil.setContentLength(r, body.length);
        finish(r);
    }

    /** The panel session this request was authenticated with (cookie), or null; set by {@link Routes}. */
    PanelSessions.Session panelSession() {
        return panelSession;
    }

    void panelSession(PanelSessions.Session s) {
        panelSession = s;
    }

    /**
     * Answers a failure: an OpenAI-shaped error response, or, once a stream has started, a final
     * {@code data: {"error":…}} event instead of {@code [DONE]}.
     */
    void fail(Throwable failure) {
        GatewayException g = gw.errors().map(failure);
        byte[] json = gw.codec().writeError(g.getMessage(), g.type(), g.param(), g.code());
        if (state.get() == NEW) {
            sendJson(g.status(), json);
            if (state.get() == DONE_STATE) {
                return;
            }
        }
        if (state.compareAndSet(STREAMING, DONE_STATE)) {
            finish(new DefaultLastHttpContent(event(json, false)));
        }
    }

    /** Writes the head of an event stream; false when the response was already decided. */
    boolean startStream() {
        if (!state.compareAndSet(NEW, STREAMING)) {
            return state.get() == STREAMING;
        }
        DefaultHttpResponse r = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        head(r, "text/event-stream; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE).set("x-accel-buffering", "no");
        HttpUtil.setTransferEncodingChunked(r, true);
        write(r, channel.voidPromise());
        return true;
    }

    /**
     * Writes one {@code data:} event of a started stream; false when the stream is over. Events sent on the event
     * loop (a stream's events decoded from one upstream read) are gathered into one HTTP chunk, written by one queued
     * write: one pass through the pipeline and the chunked encoder for the burst instead of one per event.
     */
    boolean sendEvent(byte[] json) {
        if (state.get() != STREAMING) {
            return false;
        }
        if (!channel.eventLoop().inEventLoop()) {
            write(new DefaultHttpContent(event(json, false)), channel.voidPromise());
            return true;
        }
        if (pendingEvents == null) {
            pendingEvents = channel.alloc().buffer(Math.max(EVENTS_BUFFER, json.length + 8));
            queueOnLoop(() -> { // runs after this task, so it takes every event sent until then
                ByteBuf events = pendingEvents;
                pendingEvents = null;
                channel.write(new DefaultHttpContent(events), channel.voidPromise());
            });
        }
        pendingEvents.writeBytes(DATA).writeBytes(json).writeBytes(EOL);
        return true;
    }

    /** Ends a started stream with an optional last event, then {@code data: [DONE]}. */
    void endStream(byte[] lastEvent) {
        if (state.compareAndSet(STREAMING, DONE_STATE)) {
            ByteBuf buf = lastEvent == null ? Unpooled.wrappedBuffer(DONE) : event(lastEvent, true);
            finish(new DefaultLastHttpContent(buf));
        }
    }

    /** Cancels {@code call} if the client disconnects before the response is written. */
    void cancelOnClose(Future<?> call) {
        ChannelFutureListener l = f -> call.cancel(true);
        synchronized (this) {
            closeListener = l;
            this.call = call;
        }
        channel.closeFuture().addListener(l);
    }

    /**
     * Ends the exchange at shutdown: answers {@code failure} (or a final error event) and cancels the call behind
     * it, so that its observers (the call log) hear of it before the event loops stop.
     */
    void abort(Throwable failure) {
        fail(failure);
        Future<?> c;
        synchronized (this) {
            c = call;
        }
        if (c != null) {
            c.cancel(true);
        }
    }

    /**
     * Blocks the calling (provider) thread while the client's socket buffer is full, so a slow reader
     * cannot make the gateway buffer without bound. Never blocks an event loop thread.
     *
     * @return false when the connection closed or {@code deadlineNanos} (a {@link System#nanoTime} value) passed
     */
    boolean awaitWritable(long deadlineNanos) {
        return writability.await(deadlineNanos);
    }

    /** Whether the client's socket buffer has room; see {@link ClientWritability#whenWritable} to wait without blocking. */
    boolean isWritable() {
        return writability.writable();
    }

    /** See {@link ClientWritability#whenWritable}. */
    void whenWritable(Runnable task, long deadlineNanos) {
        writability.whenWritable(task, deadlineNanos);
    }

    /** Wakes threads in {@link #awaitWritable}; called by the router when writability or activity changes. */
    void writabilityChanged() {
        writability.changed();
    }

    private ByteBuf event(byte[] json, boolean done) {
        ByteBuf buf = channel.alloc().buffer(json.length + 8 + (done ? DONE.length : 0));
        buf.writeBytes(DATA).writeBytes(json).writeBytes(EOL);
        if (done) {
            buf.writeBytes(DONE);
        }
        return buf;
    }

    private void head(HttpResponse r, CharSequence contentType) {
        synchronized (headers) {
            r.headers().set(headers);
        }
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void finish(Object last) {
        ChannelPromise p = channel.newPromise();
        p.addListener((ChannelFutureListener) f -> {
            if (!keepAlive || !f.isSuccess()) {
                channel.close();
            }
            ChannelFutureListener l;
            synchronized (this) {
                l = closeListener;
                closeListener = null;
            }
            if (l != null) {
                channel.closeFuture().removeListener(l);
            }
            onFinished.run();
        });
        write(last, p);
    }

    /**
     * Queues a write on the event loop, after every write queued before it, from whatever thread. Writes queued on
     * the loop itself (a stream's events decoded from one upstream read, say) are flushed together, by the last of
     * them: one system call for a burst of events instead of one each, and no later than the loop's current tasks.
     */
    private void write(Object msg, ChannelPromise promise) {
        if (channel.eventLoop().inEventLoop()) {
            queueOnLoop(() -> channel.write(msg, promise));
        } else {
            channel.writeAndFlush(msg, promise);
        }
    }

    /** Queues {@code write} on the event loop (from the loop itself); the last queued write flushes. */
    private void queueOnLoop(Runnable write) {
        channel.eventLoop().execute(() -> {
            write.run();
            if (--queuedOnLoop == 0) {
                channel.flush();
            }
        });
        queuedOnLoop++; // after execute(): counts only a task that will run (it cannot run before this returns)
    }
}
