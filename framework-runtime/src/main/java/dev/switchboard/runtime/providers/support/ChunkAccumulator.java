package dev.switchboard.runtime.providers.support;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Forwards a single-choice stream's chunks to a {@link ChunkSink} and folds them into the answer a plain
 * call would have given: text appended, tool-call fragments joined by index (id and name from the first
 * fragment), the last finish reason and the last usage.
 *
 * <pre>{@code
 * ChunkAccumulator acc = new ChunkAccumulator(sink);
 * acc.emit(ChatChunk.text("Hel"));
 * acc.emit(ChatChunk.text("lo"));
 * ChatResponse answer = acc.response("msg_1", "model-x");
 * }</pre>
 *
 * <p>Not thread-safe: one per stream, fed sequentially (as SSE events arrive).
 */
public final class ChunkAccumulator {
    private final ChunkSink sink;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private FinishReason finish;
    private Usage usage;

    /** @param sink receives every emitted chunk, in order */
    public ChunkAccumulator(ChunkSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Records a chunk and passes it to the sink (an exception from the sink propagates). */
    public void emit(ChatChunk chunk) {
        text.append(chunk.text());
        for (ToolCallDelta d : chunk.toolCalls()) {
            Call c = calls.computeIfAbsent(d.index(), i -> new Call());
            if (d.id() != null) {
                c.id = d.id();
            }
            if (d.name() != null && !d.name().isEmpty()) {
                c.name = d.name();
            }
            if (d.argumentsFragment() != null) {
                c.arguments.append(d.argumentsFragment());
            }
        }
        if (chunk.finishReason() != null) {
            finish = chunk.finishReason();
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        sink.accept(chunk);
    }

    /** The text received so far. */
    public String text() {
        return text.toString();
    }

    /**
     * The aggregated answer.
     *
     * @throws IllegalStateException when a tool call never received its id or name
     */
    public ChatResponse response(String id, String model) {
        List<ToolCall> toolCalls = new ArrayList<>(calls.size());
        calls.forEach((index, c) -> {
            if (c.id == null || c.name == null) {
                throw new IllegalStateException("tool call " + index + " never received its id and name");
            }
            toolCalls.add(new ToolCall(c.id, c.name, c.arguments.toString()));
        });
        List<ContentPart> content = text.length() == 0 ? List.of() : List.of(ContentPart.text(text.toString()));
        ChatMessage message = new ChatMessage(Role.ASSISTANT, content, toolCalls, null, null);
        return new ChatResponse(id, model == null ? "" : model,
                List.of(new dev.switchboard.spi.Choice(0, message, finish)), usage);
    }

    private static final class Call {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
