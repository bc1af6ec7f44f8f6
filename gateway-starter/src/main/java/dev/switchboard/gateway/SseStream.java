package dev.switchboard.gateway;

import dev.switchboard.gateway.transport.StreamControl;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.runtime.providers.openai.StreamChunkWriter;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChunkSink;
import java.util.concurrent.CancellationException;

/**
 * Writes a streamed call as OpenAI {@code chat.completion.chunk} server-sent events. The response head
 * is written with the first chunk worth sending, so a call that fails before any output still gets a
 * plain HTTP error status; after that a failure becomes a final {@code data: {"error":…}} event.
 * Usage chunks are held back and, when the client asked ({@code stream_options.include_usage}), sent once
 * at the end with the call's total usage, as OpenAI does.
 *
 * <p>Backpressure, so the provider is read no faster than the client reads: when {@link #accept} runs inside an
 * upstream stream of the gateway's Netty transport (on an event loop, {@link StreamControl#current()} set), a full
 * client socket buffer pauses the upstream connection until the client drains it; on any other thread (a provider's
 * own) {@link #accept} blocks while the buffer is full. Either way only until the call's deadline.
 * The engine calls {@link #accept} sequentially; {@link #complete} and {@link #fail} may come from any
 * thread, after it.
 */
final class SseStream implements ChunkSink {
    private final Exchange ex;
    private final OpenAiCodec codec;
    private final String id;
    private final long created = System.currentTimeMillis() / 1000;
    /** The model the chunks name: the primary, then the one each attempt streams from ({@link #attempting}). */
    private volatile String model;
    /** Made with the first chunk written, so that it names the model that answers. */
    private StreamChunkWriter chunks;
    private final boolean includeUsage;
    private final long deadlineNanos;
    private volatile boolean paused;

    /**
     * @param id            the {@code id} of every chunk
     * @param model         the {@code model} of the chunks until an attempt names another ({@link #attempting})
     * @param includeUsage  whether to send a final usage chunk
     * @param deadlineNanos when to stop waiting for a slow reader ({@link System#nanoTime} value)
     */
    SseStream(Exchange ex, OpenAiCodec codec, String id, String model, boolean includeUsage, long deadlineNanos) {
        this.ex = ex;
        this.codec = codec;
        this.id = id;
        this.model = model;
        this.includeUsage = includeUsage;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void accept(ChatChunk chunk) {
        ChatChunk c = chunk.usage() == null ? chunk
                : new ChatChunk(chunk.choiceIndex(), chunk.text(), chunk.toolCalls(), chunk.finishReason(), null);
        if (!c.hasContent() && c.finishReason() == null) {
            return;
        }
        StreamControl control = StreamControl.current();
        if (control != null) {
            holdBack(control);
        } else if (!ex.awaitWritable(deadlineNanos)) {
            throw new CancellationException(ex.isOpen() ? "the client did not read the stream in time" : "the client disconnected");
        }
        if (!ex.startStream() || !ex.sendEvent(chunks().write(c))) {
            throw new CancellationException("the response is already over");
        }
    }

    /**
     * Backpressure on an event loop (an upstream stream of the gateway's transport): never blocks; while the client's
     * buffer is full the upstream connection is paused, and resumed when the client drains it, disconnects or the
     * deadline passes (the chunk after that fails the call).
     */
    private void holdBack(StreamControl control) {
        if (!ex.isOpen()) {
            throw new CancellationException("the client disconnected");
        }
        if (ex.isWritable()) {
            return;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw new CancellationException("the client did not read the stream in time");
        }
        if (!paused) {
            paused = true;
            control.pause();
            ex.whenWritable(() -> {
                paused = false;
                control.resume();
            }, deadlineNanos);
        }
    }

    /** The next attempt streams from {@code model}: chunks name it, unless one was written already (output never changes model). */
    @Override
    public void attempting(String provider, String model) {
        this.model = model;
    }

    /** The writer of this stream's chunks, made for the model streaming when the first chunk is written. */
    private StreamChunkWriter chunks() {
        StreamChunkWriter w = chunks;
        if (w == null) {
            w = codec.streamChunkWriter(id, model, created);
            chunks = w;
        }
        return w;
    }

    /** Ends the stream: the usage chunk when asked, then {@code [DONE]}. */
    void complete(CallResult result) {
        complete(result, null);
    }

    /**
     * Ends the stream with an extra last event (before {@code [DONE]}), or the usage chunk when asked and
     * {@code lastEvent} is null.
     */
    void complete(CallResult result, byte[] lastEvent) {
        ex.startStream();
        byte[] last = lastEvent;
        if (last == null && includeUsage) {
            last = chunks().write(ChatChunk.usage(result.response().usage()));
        }
        ex.endStream(last);
    }

    /** Answers a failure: an HTTP error before any output, a final error event after. */
    void fail(Throwable failure) {
        ex.fail(failure);
    }
}
