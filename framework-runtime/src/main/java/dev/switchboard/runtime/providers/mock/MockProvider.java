package dev.switchboard.runtime.providers.mock;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic offline provider. It answers the configured replies in turn, or echoes the last
 * user message; for a {@code json_schema} request without a JSON reply it answers a sample that fits
 * the schema. It can fail its first calls with given statuses ({@code failures: [503, 429]}), fail at
 * random ({@code fail_rate}, {@code seed}), wait ({@code latency_ms}) and stream word by word
 * ({@code chunk_delay_ms}). Thread-safe; with no latency it answers on the calling thread without
 * blocking.
 *
 * <pre>{@code
 * providers:
 *   mock: { type: mock, replies: ["Hello!"], latency_ms: 20, failures: [503] }
 * }</pre>
 */
final class MockProvider implements ChatProvider {
    private final MockSettings settings;
    private final String name;
    private final AtomicLong calls = new AtomicLong();
    private final SplittableRandom random;

    MockProvider(MockSettings settings, String name) {
        this.settings = settings;
        this.name = name;
        this.random = new SplittableRandom(settings.seed());
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        long n = calls.getAndIncrement();
        ProviderException failure = failure(n, request);
        if (failure != null) {
            return delayed(CompletableFuture.failedFuture(failure));
        }
        String text = reply(n, request);
        ChatResponse response = ChatResponse.ofText("mock", request.model(), text, FinishReason.STOP, usage(request, text));
        return settings.latency().isZero() ? CompletableFuture.completedFuture(response) : delayed(CompletableFuture.completedFuture(response));
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        long n = calls.getAndIncrement();
        ProviderException failure = failure(n, request);
        if (failure != null) {
            return delayed(CompletableFuture.failedFuture(failure));
        }
        String text = reply(n, request);
        List<String> words = words(text);
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        Executor first = settings.latency().isZero() ? Runnable::run
                : CompletableFuture.delayedExecutor(settings.latency().toMillis(), TimeUnit.MILLISECONDS);
        first.execute(() -> emit(words, 0, sink, result, ChatResponse.ofText("mock-" + n, request.model(), text, FinishReason.STOP,
                usage(request, text))));
        return result;
    }

    private void emit(List<String> words, int index, ChunkSink sink, CompletableFuture<ChatResponse> result, ChatResponse done) {
        try {
            for (int i = index; i < words.size(); i++) {
                if (result.isDone()) {
                    return;
                }
                sink.accept(ChatChunk.text(words.get(i)));
                if (!settings.chunkDelay().isZero() && i + 1 < words.size()) {
                    int next = i + 1;
                    CompletableFuture.delayedExecutor(settings.chunkDelay().toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> emit(words, next, sink, result, done));
                    return;
                }
            }
            sink.accept(ChatChunk.finish(0, FinishReason.STOP));
            sink.accept(ChatChunk.usage(done.usage()));
            result.complete(done);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        List<float[]> vectors = new ArrayList<>();
        long tokens = 0;
        int dims = request.dimensions() == null ? 8 : request.dimensions();
        for (String input : request.inputs()) {
            SplittableRandom r = new SplittableRandom(input.hashCode());
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
            vectors.add(v);
            tokens += words(input).size();
        }
        return CompletableFuture.completedFuture(new EmbeddingResponse(request.model(), vectors, Usage.of(tokens, 0)));
    }

    private ProviderException failure(long n, ChatRequest request) {
        int status = 0;
        if (n < settings.failures().size()) {
            status = settings.failures().get((int) n);
        } else if (settings.failRate() > 0) {
            synchronized (random) {
                if (random.nextDouble() < settings.failRate()) {
                    status = settings.failStatus();
                }
            }
        }
        return status == 0 ? null : ProviderException.builder(name).model(request.model()).status(status)
                .errorCode("mock_failure").message("scripted failure").build();
    }

    private String reply(long n, ChatRequest request) {
        if (!settings.replies().isEmpty()) {
            String r = settings.replies().get((int) (n % settings.replies().size()));
            if (request.responseFormat().type() != ResponseFormat.Type.JSON_SCHEMA || r.trim().startsWith("{")) {
                return r;
            }
        }
        if (request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
            return SchemaSample.of(request.responseFormat().schema()).toString();
        }
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return settings.prefix().isEmpty() ? messages.get(i).text() : settings.prefix() + messages.get(i).text();
            }
        }
        return settings.prefix();
    }

    private static Usage usage(ChatRequest request, String reply) {
        long in = 0;
        for (ChatMessage m : request.messages()) {
            in += m.text().length() / 4 + 1;
        }
        return Usage.of(in, reply.length() / 4 + 1);
    }

    private <T> CompletableFuture<T> delayed(CompletableFuture<T> f) {
        if (settings.latency().isZero()) {
            return f;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(settings.latency().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> f.whenComplete((r, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(r);
                    }
                }));
        return out;
    }

    /** Splits text into chunks of one word each, keeping the spaces, so that joining them gives the text back. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
