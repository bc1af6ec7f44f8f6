package dev.switchboard.gateway.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The keep-alive connections of one event loop to one {@link Origin}: at most {@code maxOpen} of them (open or
 * opening), calls beyond that wait in a queue of at most {@code maxWaiting}, the most recently used idle
 * connection is reused first, and an idle connection closes after the transport's idle timeout. Connections are
 * registered on the pool's own loop, so a call started there never changes threads.
 *
 * <p>Confined to its event loop: every method must be called on it.
 */
final class OriginPool {
    private final NettyHttpTransport transport;
    private final EventLoop loop;
    private final Origin origin;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamCall> waiting = new ArrayDeque<>();
    private final int maxOpen;
    private final int maxWaiting;
    private int open;
    private boolean closed;
    private SslContext ssl; // for https, known before the first connect

    OriginPool(NettyHttpTransport transport, EventLoop loop, Origin origin, int maxOpen, int maxWaiting) {
        this.transport = transport;
        this.loop = loop;
        this.origin = origin;
        this.maxOpen = maxOpen;
        this.maxWaiting = maxWaiting;
        this.bootstrap = new Bootstrap().group(loop).channel(transport.channelType)
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, origin.connectTimeoutMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (origin.tls()) {
                            ch.pipeline().addLast("tls", tls(ch));
                        }
                        ch.pipeline()
                                .addLast("http", new HttpClientCodec(new HttpDecoderConfig().setMaxHeaderSize(64 * 1024), false, false))
                                .addLast("idle", new IdleStateHandler(0, 0, transport.idleTimeoutMillis, TimeUnit.MILLISECONDS))
                                .addLast("call", new UpstreamHandler());
                    }
                });
    }

    private SslHandler tls(Channel ch) {
        SSLEngine engine = ssl.newEngine(ch.alloc(), origin.host(), origin.port());
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!origin.ipLiteral()) {
            try {
                p.setServerNames(List.of(new SNIHostName(origin.host()))); // the JDK leaves out names without a dot
            } catch (IllegalArgumentException notAnSniName) {
                // e.g. an underscore: no SNI, as the JDK does
            }
        }
        engine.setSSLParameters(p);
        SslHandler h = new SslHandler(engine);
        h.setHandshakeTimeoutMillis(Math.max(1, origin.connectTimeoutMillis()));
        return h;
    }

    Origin origin() {
        return origin;
    }

    /** Gives {@code call} a connection: an idle one, a new one, or the next one released. */
    void acquire(UpstreamCall call) {
        if (closed) {
            call.fail(new IOException("the HTTP transport is closed"));
            return;
        }
        Channel ch;
        while ((ch = idle.pollLast()) != null) {
            if (ch.isActive()) {
                call.assign(ch);
                return;
            }
        }
        if (open < maxOpen) {
            connect(call);
        } else if (waiting.size() >= maxWaiting) {
            call.fail(new IOException("too many requests waiting for a connection to " + origin + " (" + maxWaiting
                    + " waiting, " + maxOpen + " connections open on this event loop)"));
        } else {
            call.waiting(true);
            waiting.add(call);
        }
    }

    /** Takes back a healthy kept-alive connection after a complete exchange. */
    void release(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        UpstreamCall next;
        while ((next = waiting.poll()) != null) {
            if (!next.isDone()) {
                next.assign(ch);
                return;
            }
        }
        idle.addLast(ch);
    }

    /** Removes a call that stopped waiting. */
    void forget(UpstreamCall call) {
        waiting.remove(call);
    }

    /** Closes the idle connections and fails the waiting calls; connections in use close when their calls end. */
    void close() {
        closed = true;
        Channel ch;
        while ((ch = idle.poll()) != null) {
            ch.close();
        }
        UpstreamCall c;
        while ((c = waiting.poll()) != null) {
            c.fail(new IOException("the HTTP transport is closed"));
        }
    }

    private void connect(UpstreamCall call) {
        open++;
        call.waiting(false);
        CompletableFuture<SslContext> tls = origin.tls() && ssl == null ? transport.ssl() : null;
        if (tls == null) {
            resolve(call);
        } else if (tls.isDone()) {
            withTls(tls, call);
        } else {
            tls.whenComplete((c, e) -> call.onLoop(() -> withTls(tls, call))); // built on its own thread
        }
    }

    private void withTls(CompletableFuture<SslContext> tls, UpstreamCall call) {
        try {
            ssl = tls.join();
        } catch (CompletionException e) {
            connectFailed(call, e.getCause());
            return;
        }
        resolve(call);
    }

    private void resolve(UpstreamCall call) {
        Future<InetAddress> address = transport.resolve(origin, loop);
        if (address.isDone()) {
            resolved(address, call);
        } else {
            address.addListener(f -> resolved(address, call));
        }
    }

    private void resolved(Future<InetAddress> address, UpstreamCall call) {
        if (!address.isSuccess()) {
            connectFailed(call, address.cause());
            return;
        }
        bootstrap.connect(new InetSocketAddress(address.getNow(), origin.port())).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                connectFailed(call, f.cause());
                return;
            }
            Channel ch = f.channel();
            ch.closeFuture().addListener(c -> closed(ch));
            if (!origin.tls()) {
                ready(ch, call);
                return;
            }
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    ready(ch, call);
                } else {
                    call.fail(Failures.connect(h.cause(), origin));
                    ch.close();
                }
            });
        });
    }

    private void ready(Channel ch, UpstreamCall call) {
        if (call.isDone()) {
            release(ch); // the call gave up while the connection was opening: keep the connection for others
        } else {
            call.assign(ch);
        }
    }

    private void connectFailed(UpstreamCall call, Throwable cause) {
        open--;
        call.fail(Failures.connect(cause, origin));
        serveWaiting();
    }

    private void closed(Channel ch) {
        open--;
        idle.remove(ch);
        serveWaiting();
    }

    /** Opens connections for waiting calls while the bound allows. */
    private void serveWaiting() {
        while (!closed && open < maxOpen && !waiting.isEmpty()) {
            UpstreamCall next = waiting.poll();
            if (!next.isDone()) {
                connect(next);
            }
        }
    }
}
