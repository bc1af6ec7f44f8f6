package dev.switchboard.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * An {@link HttpObjectAggregator} whose 413 answers are OpenAI-shaped. A request announcing a body over
 * the limit ({@code Content-Length}, or {@code Expect: 100-continue}) is refused before its body is
 * read; a chunked body is refused as soon as it passes the limit. Refused bodies are discarded, never
 * buffered, and the connection is closed. One instance per connection.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
    private static final long LINGER_MILLIS = 1000;
    private final int maxBytes;

    BodyLimitAggregator(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    private FullHttpResponse tooLarge(boolean close) {
        byte[] body = ErrorBodies.json("the request body is larger than the limit of " + maxBytes + " bytes (gateway.max_body_bytes)",
                "invalid_request_error", null, "request_too_large");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(r, body.length);
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object r = super.newContinueResponse(start, maxContentLength, pipeline);
        if (r instanceof FullHttpResponse f && f.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(f);
            return tooLarge(false);
        }
        return r;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        // Refuse without buffering: the answer closes the connection. When the body is still coming, keep
        // discarding it for a moment (a lingering close) so the client can read the 413 instead of a reset.
        boolean bodyDone = oversized instanceof FullHttpMessage;
        ctx.writeAndFlush(tooLarge(true)).addListener((ChannelFutureListener) f -> {
            if (bodyDone || !f.isSuccess()) {
                ctx.close();
            } else {
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }
}
