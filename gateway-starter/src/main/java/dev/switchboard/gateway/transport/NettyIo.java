package dev.switchboard.gateway.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * Which Netty I/O the gateway runs on: the native epoll transport on Linux when its library loads (fewer system
 * calls and wake-ups than NIO, so lower latency per proxied call), Java NIO otherwise. Event loop groups and the
 * channels registered on them must come from the same {@code NettyIo}.
 *
 * <p>The system property {@value #PROPERTY} ({@code auto}, the default, {@code epoll} or {@code nio}) chooses
 * explicitly; {@code epoll} where it cannot load fails at start with the reason.
 *
 * <p>Immutable and thread-safe.
 */
public enum NettyIo {
    /** Java NIO selectors: every platform. */
    NIO,
    /** Linux epoll through Netty's native library. */
    EPOLL;

    /** The system property that chooses the I/O: {@code auto}, {@code epoll} or {@code nio}. */
    public static final String PROPERTY = "switchboard.gateway.io";

    /**
     * The I/O {@value #PROPERTY} asks for; with {@code auto} (or unset) epoll when available, NIO otherwise.
     *
     * @throws IllegalStateException for an unknown value, or {@code epoll} where it is not available
     */
    public static NettyIo fromSystemProperty() {
        String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "auto":
                return Epoll.isAvailable() ? EPOLL : NIO;
            case "nio":
                return NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=epoll but the epoll transport is not available: "
                            + Epoll.unavailabilityCause());
                }
                return EPOLL;
            default:
                throw new IllegalStateException("-D" + PROPERTY + "='" + v + "': expected auto, epoll or nio");
        }
    }

    /** A group of {@code threads} event loops (0: Netty's default, twice the cores) named {@code name-…}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), handlerFactory());
    }

    /** The client channel type for this I/O's event loops. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The server channel type for this I/O's event loops. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private IoHandlerFactory handlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }
}
