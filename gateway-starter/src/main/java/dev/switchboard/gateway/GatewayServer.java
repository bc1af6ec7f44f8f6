package dev.switchboard.gateway;

import dev.switchboard.gateway.metrics.HttpMetricsHandler;
import dev.switchboard.gateway.transport.NettyIo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP/1.1 server: one acceptor thread, a few event loop threads, and per connection the
 * pipeline idle timer, HTTP codec, {@link ConnectionGuard}, {@link BodyLimitAggregator} and
 * {@link Router}. No thread is held while a provider answers: endpoints start engine calls and write
 * the answer when their futures complete. Thread-safe.
 */
final class GatewayServer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayServer.class);
    private final GatewayContext gw;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup("switchboard-gateway", GlobalEventExecutor.INSTANCE);
    private final Channel server;

    private GatewayServer(GatewayContext gw, NettyIo io, EventLoopGroup workers, String host, int port) {
        this.gw = gw;
        Routes routes = new Routes(gw); // validates the routes' settings before any thread starts
        this.acceptor = io.newGroup(1, "sb-gateway-accept");
        this.workers = workers;
        GatewaySettings s = gw.settings();
        ServerBootstrap b = new ServerBootstrap().group(acceptor, workers).channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ConnectionGuard guard = new ConnectionGuard(s.readTimeout());
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(s.readTimeout().toMillis(), 0, s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("clock", guard.bytesIn())
                                .addLast("http", new HttpServerCodec())
                                .addLast("metrics", new HttpMetricsHandler(gw.observability().metrics(), routes::label))
                                .addLast("guard", guard)
                                .addLast("aggregate", new BodyLimitAggregator(s.maxBodyBytes()))
                                .addLast("route", new Router(gw, routes));
                    }
                });
        try {
            this.server = b.bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds and starts serving, with connections on {@code workers} (from {@link #newWorkers(NettyIo)}; the caller
     * shuts them down after {@link #close}).
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    static GatewayServer start(GatewayContext gw, NettyIo io, EventLoopGroup workers, String host, int port) {
        return new GatewayServer(gw, io, workers, host, port);
    }

    /** The event loops of client connections, shared with the upstream transport: one per core, twice. */
    static EventLoopGroup newWorkers(NettyIo io) {
        return io.newGroup(0, "sb-gateway-io");
    }

    /** Shuts {@code workers} down, waiting a few seconds at most. */
    static void shutdown(EventLoopGroup workers) {
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The bound port. */
    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Graceful close: stops accepting, closes idle connections, lets requests in flight (calls and
     * streams) finish for up to {@code drain}, then closes every connection and stops the acceptor thread
     * (not the workers: their owner stops them).
     */
    void close(Duration drain) {
        gw.startDraining();
        server.close().awaitUninterruptibly();
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> {
                ChannelHandlerContext ctx = ch.pipeline().context(Router.class);
                if (ctx != null) {
                    ((Router) ctx.handler()).closeIfIdle(ctx);
                }
            });
        }
        if (!gw.inFlight().awaitIdle(drain)) {
            LOG.warn("{} request(s) still in flight after the drain timeout of {} ms; ending them and closing their connections",
                    gw.inFlight().count(), drain.toMillis());
            // A stream cut by the close would look complete to a client that ignores chunked framing: end each
            // request in flight with a 503, or a stream with a final error event, before closing.
            for (Channel ch : channels) {
                ch.eventLoop().execute(() -> {
                    ChannelHandlerContext ctx = ch.pipeline().context(Router.class);
                    if (ctx != null) {
                        ((Router) ctx.handler()).abortInFlight();
                    }
                });
            }
            gw.inFlight().awaitIdle(Duration.ofSeconds(1));
        }
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdownGroups();
    }

    private void shutdownGroups() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
