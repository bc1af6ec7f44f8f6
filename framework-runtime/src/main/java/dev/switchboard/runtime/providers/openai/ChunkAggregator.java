package dev.switchboard.runtime.providers.openai;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a stream's chunks into the answer a plain call would have given: text appended per choice, tool
 * call fragments joined by index, the last finish reason and usage. A fragment whose id differs from the
 * call already at its index starts a new call (some servers repeat index 0). Not thread-safe: one per
 * stream, fed sequentially.
 */
final class ChunkAggregator {
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private Usage usage;

    void add(ChatChunk chunk) {
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        if (!chunk.hasContent() && chunk.finishReason() == null) {
            return;
        }
        ChoiceState c = choices.computeIfAbsent(chunk.choiceIndex(), i -> new ChoiceState());
        c.text.append(chunk.text());
        for (ToolCallDelta d : chunk.toolCalls()) {
            c.fragment(d);
        }
        if (chunk.finishReason() != null) {
            c.finish = chunk.finishReason();
        }
    }

    /** The aggregated answer. @throws OpenAiFormatException when a tool call never got its function name */
    ChatResponse build(String id, String model) {
        List<Choice> out = new ArrayList<>();
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

        void fragment(ToolCallDelta d) {
            CallState call = byIndex.get(d.index());
            if (call == null || d.id() != null && call.id != null && !call.id.equals(d.id())) {
                call = new CallState();
                calls.add(call);
                byIndex.put(d.index(), call);
            }
            if (d.id() != null) {
                call.id = d.id();
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
                    throw new OpenAiFormatException("choices[" + choiceIndex + "].delta.tool_calls[" + i + "].function.name",
                            "never sent in the stream");
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
