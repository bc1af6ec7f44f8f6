package dev.switchboard.runtime.telemetry;

import dev.switchboard.api.Usage;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A test provider type {@code script}: each entry answers from its own queue of steps (default: "ok"). */
public final class ScriptProvider implements ChatProvider {
    private static final Map<String, ScriptProvider> BY_NAME = new ConcurrentHashMap<>();
    private final String name;
    private final ConcurrentLinkedQueue<Function<String, Object>> steps = new ConcurrentLinkedQueue<>();

    private ScriptProvider(String name) {
        this.name = name;
    }

    /** A Switchboard builder for tests: no classpath config, no environment, the {@code script} type. */
    public static Switchboard.Builder builder(String yaml) {
        return Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .providerFactory(factory()).configYaml(yaml);
    }

    public static ProviderFactory factory() {
        return new ProviderFactory() {
            @Override
            public String type() {
                return "script";
            }

            @Override
            public ChatProvider create(ProviderConfig config) {
                ScriptProvider p = new ScriptProvider(config.name());
                BY_NAME.put(config.name(), p);
                return p;
            }
        };
    }

    /** The provider of entry {@code name} of the last built Switchboard. */
    public static ScriptProvider get(String name) {
        return BY_NAME.get(name);
    }

    public ScriptProvider reply(String text) {
        steps.add(r -> text);
        return this;
    }

    public ScriptProvider fail(int status) {
        return fail(status, "scripted " + status);
    }

    public ScriptProvider fail(int status, String message) {
        steps.add(model -> ProviderException.builder(name).model(model).status(status).message(message).build());
        return this;
    }

    /** A step that never answers: the future it gives is kept in {@link #hung} (to see it cancelled). */
    public ScriptProvider hang() {
        steps.add(model -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            hung.add(f);
            return f;
        });
        return this;
    }

    /** The futures of {@link #hang} steps, in order. */
    public final List<CompletableFuture<?>> hung = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        Function<String, Object> step = steps.poll();
        Object out = step == null ? "ok" : step.apply(request.model());
        if (out instanceof ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(ChatResponse.ofText("resp-1", request.model() + "-2025", (String) out,
                FinishReason.STOP, new Usage(30, 12, 10)));
    }

    /** The embeddings requests received, in order. */
    public final List<EmbeddingRequest> embedRequests = new CopyOnWriteArrayList<>();

    /** Embeds from the same steps: a reply gives each input the vector {length, 1}, with 7 input tokens per input. */
    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        embedRequests.add(request);
        Function<String, Object> step = steps.poll();
        Object out = step == null ? "ok" : step.apply(request.model());
        if (out instanceof ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (out instanceof CompletableFuture<?> f) {
            @SuppressWarnings("unchecked")
            CompletableFuture<EmbeddingResponse> never = (CompletableFuture<EmbeddingResponse>) f;
            return never;
        }
        List<float[]> vectors = request.inputs().stream().map(t -> new float[] {t.length(), 1}).toList();
        return CompletableFuture.completedFuture(new EmbeddingResponse(request.model() + "-v1", vectors,
                new Usage(7L * request.inputs().size(), 0, 0)));
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        return chat(request).thenApply(r -> {
            for (String w : r.text().split("(?<= )")) {
                sink.accept(ChatChunk.text(w));
            }
            return r;
        });
    }
}
