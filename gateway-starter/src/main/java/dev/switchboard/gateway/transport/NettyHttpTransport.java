package dev.switchboard.gateway.transport;

import dev.failsafe.spi.Scheduler;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseListener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link HttpTransport} on Netty event loops the host already runs (the gateway's), so that a request started
 * on one of them is written, waited for and read on that same thread: no thread hop, no thread held while the
 * provider thinks. Requests started on any other thread go to one loop chosen by their origin, so that such
 * callers share that loop's pool (and its kept-alive connections) for the origin.
 *
 * <pre>{@code
 * NettyHttpTransport transport = NettyHttpTransport.builder(workers).maxConnectionsPerOrigin(256).build();
 * Switchboard sb = Switchboard.builder().config(file).httpTransport(transport::withConnectTimeout).build();
 * ...
 * sb.close();
 * transport.close();
 * }</pre>
 *
 * <p>Behaviour, as {@link HttpTransport} specifies: HTTP/1.1 over plain TCP or TLS (JDK provider, the JDK's
 * default trust store, built once per JVM on first need by {@link DefaultTls}; SNI for every host name, dot-less
 * ones such as {@code localhost} included; host name verification); keep-alive connections pooled per event loop
 * and origin (see {@link Builder#maxConnectionsPerOrigin}); {@link HttpCall#timeout()} bounds the wait for the
 * response head, then the whole plain body, or the gap between two lines of an event stream ({@link StreamControl} pauses
 * a stream); bodies above {@link Builder#maxBodyBytes} fail. Failures are the JDK client's: {@link java.net.ConnectException},
 * {@link java.net.http.HttpConnectTimeoutException}, {@link java.net.http.HttpTimeoutException}, or another
 * {@link IOException} (reset, closed mid-answer, malformed). Cancelling a returned future closes its connection;
 * a complete answer returns the connection to the pool. Listeners run on the event loop and must not block.
 * A request that finds its reused connection closed by the server is not retried.
 *
 * <p>Thread-safe. {@link #close()} closes idle connections and fails later requests; it does not shut the
 * event loops down (their owner does).
 */
public final class NettyHttpTransport implements HttpTransport, AutoCloseable {
    private final EventLoopGroup group;
    private final EventExecutor[] loops;
    private final Map<EventExecutor, Map<Origin, OriginPool>> pools = new IdentityHashMap<>();
    private final long connectTimeoutMillis;
    private final int maxOpenPerLoop;
    private final int maxWaitingPerLoop;
    final long idleTimeoutMillis;
    final int maxBodyBytes;
    private final SslContext ssl;
    final Class<? extends SocketChannel> channelType;
    private final ExecutorService resolver;
    private volatile boolean closed;

    private NettyHttpTransport(Builder b) {
        this.group = b.group;
        List<EventExecutor> all = new ArrayList<>();
        b.group.forEach(all::add);
        this.loops = all.toArray(new EventExecutor[0]);
        for (EventExecutor e : loops) {
            pools.put(e, new HashMap<>()); // each map is used only on its own loop
        }
        this.connectTimeoutMillis = b.connectTimeout.toMillis();
        this.maxOpenPerLoop = Math.max(1, (b.maxConnectionsPerOrigin + loops.length - 1) / loops.length);
        this.maxWaitingPerLoop = Math.max(1, (b.maxPendingAcquires + loops.length - 1) / loops.length);
        this.idleTimeoutMillis = b.idleTimeout.toMillis();
        this.maxBodyBytes = b.maxBodyBytes;
        this.channelType = b.io.socketChannel();
        this.ssl = b.ssl; // null: DefaultTls's, built when an https origin first needs it
        ThreadPoolExecutor r = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), t -> {
            Thread th = new Thread(t, "sb-upstream-dns");
            th.setDaemon(true);
            return th;
        });
        r.allowCoreThreadTimeOut(true);
        this.resolver = r;
    }

    /** A builder of a transport running on {@code group}'s event loops (NIO unless {@link Builder#io} says otherwise). */
    public static Builder builder(EventLoopGroup group) {
        return new Builder(group);
    }

    @Override
    public CompletableFuture<HttpResult> send(HttpCall call) {
        return start(call, null, connectTimeoutMillis);
    }

    @Override
    public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
        return start(call, Objects.requireNonNull(listener, "listener"), connectTimeoutMillis);
    }

    /** This transport (same pools and loops) with another connect timeout, as a provider's configuration asks. */
    public HttpTransport withConnectTimeout(Duration connectTimeout) {
        long ms = connectTimeout.toMillis();
        return new HttpTransport() {
            @Override
            public CompletableFuture<HttpResult> send(HttpCall call) {
                return start(call, null, ms);
            }

            @Override
            public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
                return start(call, Objects.requireNonNull(listener, "listener"), ms);
            }

            @Override
            public String toString() {
                return "NettyHttpTransport(connect timeout " + ms + " ms)";
            }
        };
    }

    private CompletableFuture<HttpResult> start(HttpCall call, SseListener listener, long connectMillis) {
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("the HTTP transport is closed"));
        }
        Origin origin;
        try {
            origin = Origin.of(call.uri(), connectMillis);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        EventLoop loop = loop(origin);
        UpstreamCall c = new UpstreamCall(this, call, listener, loop);
        c.onLoop(() -> c.start(pool(loop, origin)));
        return c.result;
    }

    /**
     * A scheduler of delayed work (for {@code Switchboard.Builder.delayedWork}) on this transport's event loops:
     * work scheduled from one of them runs on that same loop (arming and cancelling a call's timeout there wakes
     * no other thread), work scheduled from any other thread on the group's next loop. Once the loops are shutting
     * down, work goes to Netty's {@link GlobalEventExecutor} (one daemon thread, started on demand) instead. Thread-safe.
     */
    public Scheduler delayedWork() {
        return (task, delay, unit) -> {
            EventLoop loop = loop();
            if (!loop.isShuttingDown()) { // a shutting-down loop drops its scheduled tasks silently
                try {
                    return loop.schedule(task, delay, unit);
                } catch (RejectedExecutionException e) {
                    // shut down meanwhile
                }
            }
            return GlobalEventExecutor.INSTANCE.schedule(task, delay, unit);
        };
    }

    /** The current thread's loop when it is one of the group's, otherwise null. */
    private EventLoop currentLoop() {
        for (EventExecutor e : loops) {
            if (e.inEventLoop()) {
                return (EventLoop) e;
            }
        }
        return null;
    }

    /** The current thread's loop when it is one of the group's, otherwise the group's next (for delayed work). */
    private EventLoop loop() {
        EventLoop current = currentLoop();
        return current != null ? current : (EventLoop) group.next();
    }

    /**
     * The loop a call to {@code origin} runs on: the current thread's when it is one of the group's; otherwise one
     * loop per origin, so that callers on other threads share one pool (and its kept-alive connections) per origin
     * instead of each loop opening its own. Those callers therefore get one loop's share of the origin's bounds.
     */
    private EventLoop loop(Origin origin) {
        EventLoop current = currentLoop();
        return current != null ? current : (EventLoop) loops[Math.floorMod(origin.hashCode(), loops.length)];
    }

    private OriginPool pool(EventLoop loop, Origin origin) {
        Map<Origin, OriginPool> byOrigin = pools.get(loop);
        OriginPool p = byOrigin.get(origin);
        if (p == null) {
            p = new OriginPool(this, loop, origin, maxOpenPerLoop, maxWaitingPerLoop);
            byOrigin.put(origin, p);
            if (closed) {
                p.close();
            }
        }
        return p;
    }

    /** The address of {@code origin}'s host; names are resolved off the event loop (a lookup may block). */
    Future<InetAddress> resolve(Origin origin, EventLoop loop) {
        Promise<InetAddress> p = loop.newPromise();
        if (origin.ipLiteral()) {
            p.setSuccess(NetUtil.createInetAddressFromIpAddressString(origin.host()));
            return p;
        }
        try {
            resolver.execute(() -> {
                try {
                    p.trySuccess(InetAddress.getByName(origin.host()));
                } catch (UnknownHostException | RuntimeException e) {
                    p.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            p.tryFailure(new IOException("the HTTP transport is closed", e));
        }
        return p;
    }

    /**
     * The client TLS context: the one given to the builder, or {@link DefaultTls}'s (which may still be building,
     * and may fail). Thread-safe.
     */
    CompletableFuture<SslContext> ssl() {
        return ssl != null ? CompletableFuture.completedFuture(ssl) : DefaultTls.context();
    }

    /**
     * Closes idle connections and fails calls waiting for one; later calls fail with an {@link IOException}.
     * Calls in flight finish, then close their connections. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EventExecutor e : loops) {
            try {
                e.execute(() -> pools.get(e).values().forEach(OriginPool::close));
            } catch (RejectedExecutionException ignored) {
                // the loop is shut down, and its connections with it
            }
        }
        resolver.shutdownNow();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "NettyHttpTransport(" + loops.length + " event loops, connect timeout " + connectTimeoutMillis + " ms)";
    }

    /** Builds a {@link NettyHttpTransport}. Not thread-safe. */
    public static final class Builder {
        private final EventLoopGroup group;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxConnectionsPerOrigin = 1024;
        private int maxPendingAcquires = 4096;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = 32 * 1024 * 1024;
        private SslContext ssl;
        private NettyIo io = NettyIo.NIO;

        private Builder(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
        }

        /** The bound of a TCP connect and TLS handshake, unless {@link #withConnectTimeout} says otherwise (10 s). */
        public Builder connectTimeout(Duration d) {
            connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * The most connections open to one origin (1024), shared evenly by the event loops: each loop opens at
         * most its share, and its further requests wait for one of its connections. Requests started off the
         * event loops all run on the origin's one loop, so they get one share.
         */
        public Builder maxConnectionsPerOrigin(int n) {
            maxConnectionsPerOrigin = atLeastOne(n, "maxConnectionsPerOrigin");
            return this;
        }

        /** The most requests waiting for a connection to one origin (4096), shared like the connections; more fail at once. */
        public Builder maxPendingAcquires(int n) {
            maxPendingAcquires = atLeastOne(n, "maxPendingAcquires");
            return this;
        }

        /** How long an unused pooled connection stays open (30 s). */
        public Builder idleTimeout(Duration d) {
            idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** The largest plain body, and the longest event stream line, accepted (32 MiB). */
        public Builder maxBodyBytes(int n) {
            maxBodyBytes = atLeastOne(n, "maxBodyBytes");
            return this;
        }

        /**
         * The client TLS context (default: JDK provider, the JDK's default trust store, built once per JVM off the
         * event loops when an https origin first needs it); tests trust their own CA.
         */
        public Builder sslContext(SslContext context) {
            ssl = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The I/O {@code group}'s event loops were made for (NIO): connections are opened with its channel type. */
        public Builder io(NettyIo io) {
            this.io = Objects.requireNonNull(io, "io");
            return this;
        }

        /** Builds the transport. */
        public NettyHttpTransport build() {
            return new NettyHttpTransport(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private static int atLeastOne(int n, String name) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + n);
            }
            return n;
        }
    }
}
