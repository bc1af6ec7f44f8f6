package dev.switchboard.runtime.providers.gateway;

import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Calls a Switchboard gateway's OpenAI-compatible API with the model prefixed by the remote provider
 * name, and falls back to a direct provider when the gateway cannot be reached. Nothing was sent to a
 * vendor when the gateway is unreachable, so the direct call never duplicates one. Thread-safe.
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

    private static boolean unreachable(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof ProviderCallException pe && pe.kind() == ProviderCallException.Kind.CONNECTION;
    }

    @Override
    public void close() {
        gateway.close();
        if (direct != null) {
            direct.close();
        }
    }
}
