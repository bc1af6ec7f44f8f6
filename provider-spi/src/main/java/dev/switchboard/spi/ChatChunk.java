package dev.switchboard.spi;

import dev.switchboard.api.Usage;
import java.util.List;

/**
 * One increment of a streamed answer. Immutable and thread-safe. A chunk may carry text, tool-call
 * fragments, a finish reason (the last content chunk of a choice) or usage (usually a final chunk).
 *
 * @param choiceIndex    which choice the delta belongs to
 * @param text           text to append, may be empty
 * @param toolCalls      tool call fragments, may be empty
 * @param finishReason   set on a choice's last chunk
 * @param usage          set when the provider reports usage, otherwise null
 */
public record ChatChunk(int choiceIndex, String text, List<ToolCallDelta> toolCalls, FinishReason finishReason, Usage usage) {

    /** Normalizes absent values. */
    public ChatChunk {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A text delta of choice 0. */
    public static ChatChunk text(String text) {
        return new ChatChunk(0, text, List.of(), null, null);
    }

    /** A chunk that only ends a choice. */
    public static ChatChunk finish(int choiceIndex, FinishReason reason) {
        return new ChatChunk(choiceIndex, "", List.of(), reason, null);
    }

    /** A chunk that only reports usage. */
    public static ChatChunk usage(Usage usage) {
        return new ChatChunk(0, "", List.of(), null, usage);
    }

    /** Whether this chunk carries text or tool-call fragments (content a caller sees). */
    public boolean hasContent() {
        return !text.isEmpty() || !toolCalls.isEmpty();
    }
}
