package dev.switchboard.runtime;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/** A test provider type {@code scripted}: each entry's answers come from a per-name script. */
final class ScriptedProvider implements ChatProvider {
    /** Scripts by provider entry name. */
    static final ConcurrentHashMap<String, ScriptedProvider> BY_NAME = new ConcurrentHashMap<>();

    final String name;
    final ConcurrentLinkedQueue<Function<ChatRequest, Object>> script = new ConcurrentLinkedQueue<>();
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<Long> times = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<ChatResponse> lastFuture;

    ScriptedProvider(String name) {
        this.name = name;
    }

    /**
     * Whether the last call's future is cancelled within {@code timeout}. A call's timeout releases the caller as it
     * fails the call; the provider's call is cancelled right after, on the timer's thread, so a test waits for it.
     */
    boolean lastCancelledWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lastFuture.isCancelled() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        return lastFuture.isCancelled();
    }

    static ProviderFactory factory() {
        return new ProviderFactory() {
            @Override
            public String type() {
                return "scripted";
            }

            @Override
            public ChatProvider create(ProviderConfig config) {
                ScriptedProvider p = new ScriptedProvider(config.name());
                BY_NAME.put(config.name(), p);
                return p;
            }
        };
    }

    ScriptedProvider reply(String text) {
        script.add(r -> text);
        return this;
    }

    ScriptedProvider fail(int status) {
        script.add(r -> ProviderException.builder(name).model(r.model()).status(status).message("scripted " + status).build());
        return this;
    }

    ScriptedProvider failRetryAfter(int status, Duration after) {
        script.add(r -> ProviderException.builder(name).model(r.model()).status(status).retryAfter(after).message("slow down").build());
        return this;
    }

    ScriptedProvider hang() {
        script.add(r -> new CompletableFuture<ChatResponse>());
        return this;
    }

    ScriptedProvider then(Function<ChatRequest, Object> step) {
        script.add(step);
        return this;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        requests.add(request);
        times.add(System.nanoTime());
        Function<ChatRequest, Object> step = script.poll();
        Object out = step == null ? "default reply" : step.apply(request);
        CompletableFuture<ChatResponse> f;
        if (out instanceof ProviderException e) {
            f = CompletableFuture.failedFuture(e);
        } else if (out instanceof CompletableFuture<?> cf) {
            @SuppressWarnings("unchecked")
            CompletableFuture<ChatResponse> typed = (CompletableFuture<ChatResponse>) cf;
            f = typed;
        } else {
            f = CompletableFuture.completedFuture(ChatResponse.ofText("r", request.model(), (String) out, FinishReason.STOP, Usage.of(3, 2)));
        }
        lastFuture = f;
        return f;
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        return chat(request).thenCompose(r -> {
            CompletableFuture<ChatResponse> out = new CompletableFuture<>();
            String[] words = r.text().split("(?<= )");
            CompletableFuture.runAsync(() -> {
                try {
                    for (String w : words) {
                        if (w.equals("CUT ")) {
                            throw ProviderException.streamInterrupted(name, request.model(), "cut");
                        }
                        sink.accept(ChatChunk.text(w));
                    }
                    out.complete(r);
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            }, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
            return out;
        });
    }
}
