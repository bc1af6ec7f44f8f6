package dev.switchboard.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The last handler of a connection's pipeline: turns each aggregated request into an {@link Exchange}
 * and hands it to the {@link Routes}. Requests are answered one at a time, in order: a pipelined
 * request waits (at most {@value #MAX_PIPELINED} of them) until the response before it is written.
 * One instance per connection; every method runs on the connection's event loop.
 */
final class Router extends ChannelInboundHandlerAdapter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Router.class);
    static final int MAX_PIPELINED = 16;
    private final GatewayContext gw;
    private final Routes routes;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private Exchange current;

    Router(GatewayContext gw, Routes routes) {
        this.gw = gw;
        this.routes = routes;
    }

    /** Whether a request is being served on this connection. */
    boolean busy() {
        return current != null;
    }

    /** Closes the connection when no request is being served (graceful shutdown). */
    void closeIfIdle(ChannelHandlerContext ctx) {
        if (current == null && waiting.isEmpty()) {
            ctx.close();
        }
    }

    /**
     * Ends the request being served: a 503, or a final error event for a stream that has started (graceful
     * shutdown, when the drain timeout ran out).
     */
    void abortInFlight() {
        if (current != null) {
            current.abort(new GatewayException(HttpResponseStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", null,
                    "shutting_down", "the gateway is shutting down: the call did not finish within gateway.drain_timeout"));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null) {
            if (waiting.size() >= MAX_PIPELINED) {
                req.release();
                ctx.close();
                return;
            }
            waiting.add(req);
            return;
        }
        dispatch(ctx, req);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
        Exchange ex;
        boolean badRequest = !req.decoderResult().isSuccess();
        try {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            boolean keepAlive = HttpUtil.isKeepAlive(req) && !gw.draining() && !badRequest;
            ex = new Exchange(ctx.channel(), gw, req.method(), path, uri.parameters(), req.headers(), ByteBufUtil.getBytes(req.content()),
                    req.protocolVersion(), keepAlive, () -> finished(ctx));
        } finally {
            req.release();
        }
        current = ex;
        gw.inFlight().enter();
        try {
            if (badRequest) {
                throw GatewayException.badRequest(null, "malformed HTTP request: " + req.decoderResult().cause());
            }
            routes.serve(ex);
        } catch (Throwable t) {
            ex.fail(t);
        }
    }

    private void finished(ChannelHandlerContext ctx) {
        current = null;
        gw.inFlight().exit();
        FullHttpRequest next = waiting.poll();
        if (next == null) {
            if (gw.draining()) {
                ctx.close();
            }
            return;
        }
        if (ctx.channel().isActive()) {
            dispatch(ctx, next);
        } else {
            next.release();
            releaseWaiting();
        }
    }

    private void releaseWaiting() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        if (current != null) {
            current.writabilityChanged();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        ctx.close();
    }
}
