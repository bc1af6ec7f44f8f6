package dev.switchboard.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the connection reads to the {@link UpstreamCall} it
 * currently serves, and closes the connection when something arrives while it serves none, or when it has been
 * idle in the pool for the pool's idle timeout. One instance per connection; every method runs on its event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private UpstreamCall current;

    void begin(UpstreamCall call) {
        current = call;
    }

    void end(UpstreamCall call) {
        if (current == call) {
            current = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            UpstreamCall c = current;
            if (c != null && msg instanceof HttpObject o) {
                c.onMessage(o);
            } else {
                ctx.close(); // an answer nobody asked for: the connection cannot be trusted any more
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamCall c = current;
        current = null;
        if (c != null) {
            c.onClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamCall c = current;
        current = null;
        if (c != null) {
            c.fail(Failures.io(cause));
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (current == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
