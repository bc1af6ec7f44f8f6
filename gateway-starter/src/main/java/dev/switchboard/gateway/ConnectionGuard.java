package dev.switchboard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the connection timeouts, placed after the HTTP codec and fed by an
 * {@link io.netty.handler.timeout.IdleStateHandler} and by its {@link #bytesIn()} handler before the codec:
 * a request whose head and body have not all arrived within {@code read_timeout} of its first byte (a
 * slow-loris client sending byte by byte, or one that stops half-way) gets 408 and the connection is closed;
 * a keep-alive connection with no request in flight and no traffic for {@code idle_timeout} is closed. A
 * connection waiting on a provider or streaming an answer is never closed by these rules (the call's own
 * timeout bounds it). One instance per connection, used on its event loop only.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    private final long readTimeoutNanos;
    private ChannelHandlerContext self;
    private boolean receiving;
    private ScheduledFuture<?> deadline;

    /** @param readTimeout the longest a request may take to arrive, from its first byte */
    ConnectionGuard(Duration readTimeout) {
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /** The handler to place before the HTTP codec: it starts the request clock when a request's first bytes arrive. */
    ChannelInboundHandlerAdapter bytesIn() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b && b.isReadable() && self != null) {
                    startClock(self);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        self = ctx; // answers go out from here, through the HTTP codec
    }

    private void startClock(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> expired(ctx), readTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopClock() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expired(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (busy(ctx)) {
            // A pipelined request behind an answer being written: check again later; never interrupt the answer.
            startClock(ctx);
            return;
        }
        timeOut(ctx);
    }

    private static boolean busy(ChannelHandlerContext ctx) {
        Router router = ctx.pipeline().get(Router.class);
        return router != null && router.busy();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            receiving = true;
            startClock(ctx); // a pipelined request decoded from the bytes of the one before
        }
        if (msg instanceof LastHttpContent) {
            receiving = false;
            stopClock();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopClock();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            boolean busy = busy(ctx);
            if (e.state() == IdleState.READER_IDLE && receiving && !busy) {
                timeOut(ctx);
            } else if (e.state() == IdleState.ALL_IDLE && !receiving && deadline == null && !busy) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void timeOut(ChannelHandlerContext ctx) {
        stopClock();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(ErrorBodies.json("the request was not received in time (gateway.read_timeout)",
                        "invalid_request_error", null, "request_timeout")));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
