package dev.switchboard.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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

/**
 * Enforces the connection timeouts, placed after the HTTP codec and fed by an
 * {@link io.netty.handler.timeout.IdleStateHandler}: a request whose bytes stop arriving for
 * {@code read_timeout} gets 408 and the connection is closed; a keep-alive connection with no request in
 * flight and no traffic for {@code idle_timeout} is closed. A connection waiting on a provider or
 * streaming an answer is never closed by these rules (the call's own timeout bounds it). One instance
 * per connection, used on its event loop only.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    private boolean receiving;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            receiving = true;
        }
        if (msg instanceof LastHttpContent) {
            receiving = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e) {
            Router router = ctx.pipeline().get(Router.class);
            boolean busy = router != null && router.busy();
            if (e.state() == IdleState.READER_IDLE && receiving && !busy) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                        Unpooled.wrappedBuffer(ErrorBodies.json("the request was not received in time", "invalid_request_error",
                                null, "request_timeout")));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else if (e.state() == IdleState.ALL_IDLE && !receiving && !busy) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
