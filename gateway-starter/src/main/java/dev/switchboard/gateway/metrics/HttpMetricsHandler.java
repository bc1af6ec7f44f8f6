package dev.switchboard.gateway.metrics;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayDeque;
import java.util.function.UnaryOperator;

/**
 * Measures each request of one connection for {@link GatewayMetrics}: from its head arriving to the last byte of
 * its response being written, with the response's status and the route template of its path. Sits right after
 * the HTTP codec; responses come back in request order (HTTP/1.1), so pending requests wait in a queue. One
 * instance per connection; runs on the connection's event loop.
 */
public final class HttpMetricsHandler extends ChannelDuplexHandler {
    private final GatewayMetrics metrics;
    private final UnaryOperator<String> routes;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(2);
    private int status;

    private record Pending(String method, String path, long startNanos) {
    }

    /**
     * @param metrics where measurements go
     * @param routes  the route template of a path ({@code /v1/logs/abc} → {@code /v1/logs/{id}}), null for none
     */
    public HttpMetricsHandler(GatewayMetrics metrics, UnaryOperator<String> routes) {
        this.metrics = metrics;
        this.routes = routes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest r && pending.size() < 64) {
            pending.add(new Pending(r.method().name(), r.uri(), System.nanoTime()));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            status = r.status().code();
        }
        if (msg instanceof LastHttpContent) {
            Pending p = pending.poll();
            if (p != null) {
                String path = new QueryStringDecoder(p.path()).path();
                metrics.requestEnded(p.method(), routes.apply(path), status, System.nanoTime() - p.startNanos());
            }
            status = 0;
        }
        ctx.write(msg, promise);
    }
}
