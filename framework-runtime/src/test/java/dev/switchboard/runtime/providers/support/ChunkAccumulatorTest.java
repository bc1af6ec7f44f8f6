package dev.switchboard.runtime.providers.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkAccumulatorTest {
    private final List<ChatChunk> forwarded = new ArrayList<>();
    private final ChunkAccumulator acc = new ChunkAccumulator(forwarded::add);

    private static ChatChunk tool(int choice, int index, String id, String name, String args) {
        return new ChatChunk(choice, "", List.of(new ToolCallDelta(index, id, name, args)), null, null);
    }

    @Test
    void foldsTextFinishAndLastUsageAndForwardsInOrder() {
        acc.emit(ChatChunk.text("Hel"));
        acc.emit(ChatChunk.usage(Usage.of(1, 1)));
        acc.emit(ChatChunk.text("lo"));
        acc.emit(new ChatChunk(0, "", List.of(), FinishReason.STOP, Usage.of(7, 2)));

        ChatResponse r = acc.response("id-1", "m");

        assertThat(r.text()).isEqualTo("Hello");
        assertThat(acc.text()).isEqualTo("Hello");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(Usage.of(7, 2));
        assertThat(forwarded).extracting(ChatChunk::text).containsExactly("Hel", "", "lo", "");
    }

    @Test
    void keepsSeveralChoicesApart() {
        acc.emit(new ChatChunk(1, "B", List.of(), null, null));
        acc.emit(new ChatChunk(0, "A", List.of(), null, null));
        acc.emit(ChatChunk.finish(0, FinishReason.STOP));
        acc.emit(ChatChunk.finish(1, FinishReason.LENGTH));

        List<Choice> choices = acc.response(null, "m").choices();

        assertThat(choices).extracting(Choice::index).containsExactly(0, 1);
        assertThat(choices).extracting(c -> c.message().text()).containsExactly("A", "B");
        assertThat(choices).extracting(Choice::finishReason).containsExactly(FinishReason.STOP, FinishReason.LENGTH);
    }

    @Test
    void joinsFragmentsByIndexAndStartsANewCallWhenIndexZeroRepeatsWithAnotherId() {
        acc.emit(tool(0, 0, "call_a", "weather", "{\"city\":"));
        acc.emit(tool(0, 0, null, null, "\"Oslo\"}"));
        acc.emit(tool(0, 0, "call_b", "time", "{}"));
        acc.emit(ChatChunk.finish(0, FinishReason.TOOL_CALLS));

        assertThat(acc.response(null, "m").message().toolCalls()).containsExactly(
                new ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}"), new ToolCall("call_b", "time", "{}"));
    }

    @Test
    void givesAnIdToACallThatNeverGotOneAndRefusesACallWithoutName() {
        acc.emit(tool(0, 0, "", "weather", "{}"));
        assertThat(acc.response(null, "m").message().toolCalls().get(0).id()).isEqualTo("call_0_0");

        acc.emit(tool(0, 1, "call_x", null, "{}"));
        assertThatThrownBy(() -> acc.response(null, "m")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never received its function name");
    }

    @Test
    void dropsEmptyChunksAndAnswersAnEmptyChoiceWhenNothingCame() {
        acc.emit(ChatChunk.text(""));

        ChatResponse r = acc.response(null, null);

        assertThat(forwarded).isEmpty();
        assertThat(r.choices()).hasSize(1);
        assertThat(r.text()).isEmpty();
        assertThat(r.model()).isEmpty();
        assertThat(r.usage()).isEqualTo(Usage.NONE);
    }
}
