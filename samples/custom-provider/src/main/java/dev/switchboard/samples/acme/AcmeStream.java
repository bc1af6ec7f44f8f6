package dev.switchboard.samples.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.spi.http.SseListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;

/**
 * One ACME stream: {@code event: token} events ({@code {"text":"Hel"}}) become text chunks, the terminal
 * {@code event: done} ({@code {"id","tokens_in","tokens_out","stop"}}) becomes a last chunk with finish
 * reason and usage, {@code event: error} fails the stream, other events are ignored (forward
 * compatibility). Chunks reach the sink in arrival order, before the stream's future completes.
 *
 * <p>A body that ends without {@code done} fails with kind {@code STREAM_INTERRUPTED}, never normally; so
 * does a connection that breaks after the first event. Once the caller's future is done (cancelled), the
 * next event throws, which makes the transport close the connection.
 *
 * <p>Not thread-safe: one per stream; the transport delivers events sequentially.
 */
final class AcmeStream implements SseListener {
    private final String provider;
    private final String model;
    private final ChunkSink sink;
    private final Future<?> caller;
    private final StringBuilder text = new StringBuilder();
    private volatile boolean started;
    private volatile JsonNode done;

    /** @param caller the future handed to the engine: once it is done, the stream stops */
    AcmeStream(String provider, String model, ChunkSink sink, Future<?> caller) {
        this.provider = provider;
        this.model = model;
        this.sink = sink;
        this.caller = caller;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (caller.isDone()) {
            throw new CancellationException("the caller gave up on the stream");
        }
        if (done != null) {
            return; // nothing counts after the terminal event
        }
        started = true;
        JsonNode data = data(event);
        switch (event.event()) {
            case "token" -> {
                String t = data.path("text").asText("");
                if (!t.isEmpty()) {
                    text.append(t);
                    sink.accept(ChatChunk.text(t));
                }
            }
            case "done" -> {
                done = data;
                sink.accept(new ChatChunk(0, "", List.of(), AcmeWire.finishReason(data), AcmeWire.usage(data)));
            }
            case "error" -> throw AcmeWire.errorEvent(provider, model, data);
            default -> { } // keep-alives and event types added later
        }
    }

    private JsonNode data(SseEvent event) {
        try {
            return AcmeWire.parse(event.data().getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed(provider, model, "event '" + event.event() + "' is " + e.getMessage(), e);
        }
    }

    /**
     * The answer once the body ended.
     *
     * @throws ProviderException for an error status, or kind {@code STREAM_INTERRUPTED} without {@code done}
     */
    ChatResponse finish(HttpResult result) {
        if (!result.isSuccess()) {
            throw AcmeWire.error(provider, model, result);
        }
        JsonNode end = done;
        if (end == null) {
            throw ProviderException.streamInterrupted(provider, model,
                    started ? "no 'done' event after " + text.length() + " characters" : "no event at all");
        }
        return ChatResponse.ofText(end.path("id").textValue(), model, text.toString(), AcmeWire.finishReason(end),
                AcmeWire.usage(end));
    }

    /** What a transport failure means here: a connection lost after the first event cut the stream. */
    ProviderException failure(Throwable t) {
        ProviderException e = ProviderException.fromFailure(provider, model, t);
        if (started && e.kind() == Kind.CONNECTION) {
            return ProviderException.builder(provider).model(model).kind(Kind.STREAM_INTERRUPTED).cause(e.getCause())
                    .message("stream from " + provider + " broke before its 'done' event: " + e.getMessage()).build();
        }
        return e;
    }
}
