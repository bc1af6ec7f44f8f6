package dev.switchboard.gateway.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.concurrent.CompletableFuture;

/**
 * The default client TLS context: the JDK provider and the JDK's default trust store. Building it reads and parses
 * the trust store, which can take a second, so it is built once per JVM, on first need, on its own thread (never
 * on an event loop, and not at all by a gateway whose providers are all plain http). Thread-safe.
 */
final class DefaultTls {
    private static CompletableFuture<SslContext> context; // guarded by DefaultTls.class

    private DefaultTls() {
    }

    /** The context, or its failure; completes on the building thread the first time. */
    static synchronized CompletableFuture<SslContext> context() {
        if (context == null) {
            CompletableFuture<SslContext> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    SslContext c = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
                    c.newEngine(ByteBufAllocator.DEFAULT).closeOutbound(); // the first engine loads the cipher suites
                    f.complete(c);
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "sb-upstream-tls-init");
            t.setDaemon(true);
            t.start();
            context = f;
        }
        return context;
    }
}
