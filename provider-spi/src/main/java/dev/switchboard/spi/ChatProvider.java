package dev.switchboard.spi;

import java.util.concurrent.CompletableFuture;

/**
 * A configured connection to one LLM provider endpoint, speaking its wire format. Created by a
 * {@link ProviderFactory}; one instance serves every call to its configuration entry concurrently,
 * so implementations must be thread-safe.
 *
 * <p>Contract: methods never block on I/O and never throw; every failure completes the returned
 * future exceptionally with a {@link ProviderException}. Cancelling the returned future cancels the
 * underlying request (closing its connection). Requests a provider cannot serve fail with kind
 * {@code UNSUPPORTED} before any network I/O.
 */
public interface ChatProvider extends AutoCloseable {

    /** What this provider can do; the engine checks requests against it before calling. */
    default Capabilities capabilities() {
        return Capabilities.ALL;
    }

    /** Sends a chat request and completes with the whole answer. */
    CompletableFuture<ChatResponse> chat(ChatRequest request);

    /**
     * Sends a chat request for a streamed answer: chunks go to {@code sink} in order as they arrive,
     * then the future completes with the aggregated answer (text, tool calls, finish reason, usage).
     * A stream that ends before the vendor's terminal event completes exceptionally with kind
     * {@code STREAM_INTERRUPTED}, never normally.
     */
    CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink);

    /** Computes embeddings; providers without embeddings fail with kind {@code UNSUPPORTED}. */
    default CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        return CompletableFuture.failedFuture(ProviderException.unsupported("provider", request.model(), "embeddings"));
    }

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
