package dev.switchboard.runtime.providers.support;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
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
 * Forwards a stream's chunks to a {@link ChunkSink} and folds them into the answer a plain call would have
 * given, the one stream-folding helper of the built-in providers:
 * <ul>
 *   <li>text is appended per choice ({@link ChatChunk#choiceIndex()}, so {@code n > 1} streams fold into
 *       several choices);</li>
 *   <li>tool-call fragments are joined by their index within the choice, id and name taken from the first
 *       fragment that carries them; a fragment whose id differs from the call already at its index starts
 *       a new call (some OpenAI-compatible servers send every call at index 0); a call that never got an
 *       id is given {@code call_<choice>_<position>};</li>
 *   <li>each choice keeps its last finish reason; the answer keeps the last usage reported.</li>
 * </ul>
 *
 * <pre>{@code
 * ChunkAccumulator acc = new ChunkAccumulator(sink);
 * acc.emit(ChatChunk.text("Hel"));
 * acc.emit(ChatChunk.text("lo"));
 * acc.emit(new ChatChunk(0, "", List.of(), FinishReason.STOP, Usage.of(12, 2)));
 * ChatResponse answer = acc.response("msg_1", "model-x");
 * }</pre>
 *
 * <p>Chunks with neither content, finish reason nor usage are dropped, not forwarded. Not thread-safe:
 * one per stream, fed sequentially (as SSE events arrive).
 */
public final class ChunkAccumulator {
    private final ChunkSink sink;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private Usage usage;

    /** @param sink receives every non-empty emitted chunk, in order */
    public ChunkAccumulator(ChunkSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Records a chunk and passes it to the sink (an exception from the sink propagates). */
    public void emit(ChatChunk chunk) {
        if (!chunk.hasContent() && chunk.finishReason() == null && chunk.usage() == null) {
            return;
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        if (chunk.hasContent() || chunk.finishReason() != null) {
            choices.computeIfAbsent(chunk.choiceIndex(), i -> new ChoiceState()).add(chunk);
        }
        sink.accept(chunk);
    }

    /** The text of choice 0 received so far. */
    public String text() {
        ChoiceState c = choices.get(0);
        return c == null ? "" : c.text.toString();
    }

    /**
     * The aggregated answer: one choice per choice index seen (choice 0, empty, when none was), in index
     * order.
     *
     * @param id    the vendor's response id, may be null
     * @param model the model that answered; null becomes empty
     * @throws IllegalStateException when a tool call never received its function name
     */
    public ChatResponse response(String id, String model) {
        List<Choice> out = new ArrayList<>(Math.max(1, choices.size()));
        choices.forEach((index, c) -> out.add(new Choice(index, c.message(index), c.finish)));
        if (out.isEmpty()) {
            out.add(new Choice(0, new ChatMessage(Role.ASSISTANT, List.of(), List.of(), null, null), null));
        }
        return new ChatResponse(id, model == null ? "" : model, out, usage);
    }

    private static final class ChoiceState {
        final StringBuilder text = new StringBuilder();
        final List<CallState> calls = new ArrayList<>();
        final Map<Integer, CallState> byIndex = new TreeMap<>();
        FinishReason finish;

        void add(ChatChunk chunk) {
            text.append(chunk.text());
            for (ToolCallDelta d : chunk.toolCalls()) {
                fragment(d);
            }
            if (chunk.finishReason() != null) {
                finish = chunk.finishReason();
            }
        }

        private void fragment(ToolCallDelta d) {
            String id = d.id() == null || d.id().isEmpty() ? null : d.id();
            CallState call = byIndex.get(d.index());
            if (call == null || id != null && call.id != null && !call.id.equals(id)) {
                call = new CallState();
                calls.add(call);
                byIndex.put(d.index(), call);
            }
            if (id != null) {
                call.id = id;
            }
            if (d.name() != null && !d.name().isEmpty()) {
                call.name = d.name();
            }
            if (d.argumentsFragment() != null) {
                call.arguments.append(d.argumentsFragment());
            }
        }

        ChatMessage message(int choiceIndex) {
            List<ToolCall> toolCalls = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                CallState c = calls.get(i);
                if (c.name == null) {
                    throw new IllegalStateException("choices[" + choiceIndex + "] tool call " + i
                            + " never received its function name");
                }
                toolCalls.add(new ToolCall(c.id != null ? c.id : "call_" + choiceIndex + "_" + i, c.name, c.arguments.toString()));
            }
            List<ContentPart> content = text.length() == 0 ? List.of() : List.of(ContentPart.text(text.toString()));
            return new ChatMessage(Role.ASSISTANT, content, toolCalls, null, null);
        }
    }

    private static final class CallState {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
