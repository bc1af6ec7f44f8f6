package dev.switchboard.runtime.providers.gateway;

import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Calls a Switchboard gateway's OpenAI-compatible API with the model prefixed by the remote provider
 * name, and falls back to a direct provider only when the connection to the gateway could not be opened
 * (see {@link #unreachable}): the request then provably never reached the gateway, so nothing was sent
 * to a vendor and the direct call never duplicates one. A failure after the connection was open (reset,
 * closed without an answer) is returned as it is. Thread-safe.
 */
final class GatewayProvider implements ChatProvider {
    private final String remoteProvider;
    private final ChatProvider gateway;
    private final ChatProvider direct;

    GatewayProvider(String remoteProvider, ChatProvider gateway, ChatProvider direct) {
        this.remoteProvider = remoteProvider;
        this.gateway = gateway;
        this.direct = direct;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        return withFallback(gateway.chat(remote(request)), d -> d.chat(request));
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        return withFallback(gateway.stream(remote(request), sink), d -> d.stream(request, sink));
    }

    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        EmbeddingRequest remote = new EmbeddingRequest(remoteProvider + "/" + request.model(), request.inputs(), request.dimensions());
        return withFallback(gateway.embed(remote), d -> d.embed(request));
    }

    private ChatRequest remote(ChatRequest request) {
        return request.toBuilder().model(remoteProvider + "/" + request.model()).build();
    }

    private <T> CompletableFuture<T> withFallback(CompletableFuture<T> viaGateway, Function<ChatProvider, CompletableFuture<T>> directCall) {
        if (direct == null) {
            return viaGateway;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        viaGateway.whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (unreachable(e)) {
                CompletableFuture<T> d = directCall.apply(direct);
                out.whenComplete((x, y) -> {
                    if (out.isCancelled()) {
                        d.cancel(true);
                    }
                });
                d.whenComplete((x, y) -> {
                    if (y == null) {
                        out.complete(x);
                    } else {
                        out.completeExceptionally(y);
                    }
                });
            } else {
                out.completeExceptionally(e);
            }
        });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                viaGateway.cancel(true);
            }
        });
        return out;
    }

    /**
     * Whether {@code e} proves the request never reached the gateway: a connection failure whose cause chain holds
     * a failed connect (refused, connect timeout, unknown host, no route; the JDK client reports every failed
     * connect as {@link ConnectException} or {@link HttpConnectTimeoutException}, the Netty transport maps its
     * own to the same). A failure on an open connection (reset, closed before the answer) is not: the gateway may
     * have forwarded the request to the vendor already, so calling the vendor directly could send it twice.
     */
    static boolean unreachable(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!(t instanceof ProviderCallException pe) || pe.kind() != ProviderCallException.Kind.CONNECTION) {
            return false;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = pe.getCause(); c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException
                    || c instanceof HttpConnectTimeoutException || c instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        gateway.close();
        if (direct != null) {
            direct.close();
        }
    }
}
