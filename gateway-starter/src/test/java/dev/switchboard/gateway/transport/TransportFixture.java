package dev.switchboard.gateway.transport;

import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the transport tests: an event loop group, requests, and waiting for a failure. */
final class TransportFixture {
    private TransportFixture() {
    }

    static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("test-io"), NioIoHandler.newFactory());
    }

    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A chat completions request to {@code uri}. */
    static HttpCall chat(URI uri, boolean stream, Duration timeout) {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
        return HttpCall.post(uri, body.getBytes(StandardCharsets.UTF_8)).header("Authorization", "Bearer sk-test")
                .timeout(timeout).build();
    }

    static HttpCall chat(URI uri, boolean stream) {
        return chat(uri, stream, Duration.ofSeconds(10));
    }

    static HttpResult get(CompletableFuture<HttpResult> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    /** The exception {@code f} fails with (unwrapped), or an AssertionError when it succeeds. */
    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            Object r = f.get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + r);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
