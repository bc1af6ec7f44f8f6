package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;
import static dev.switchboard.runtime.providers.openai.ChunkWriteEquivalenceTest.TEXTS;
import static dev.switchboard.runtime.providers.openai.ChunkWriteEquivalenceTest.pick;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiCodec#writeResponse} against the tree-based writer it replaced (kept here, as it was, for reference):
 * the same bytes for many random answers: several choices, text with escapes and non-ASCII, content in parts or
 * absent, tool calls, every finish reason, usage, null ids.
 */
class AnswerWriteEquivalenceTest {
    private final OpenAiCodec codec = OpenAiCodec.shared();

    @Test
    void writesTheSameBytesAsTheTreeWriterForRandomAnswers() {
        Random random = new Random(20261130L);
        for (int n = 0; n < 2_000; n++) {
            ChatResponse answer = randomAnswer(random);
            String id = random.nextInt(8) == 0 ? null : "chatcmpl-" + pick(random, TEXTS);
            long created = random.nextLong();

            byte[] expected = codec.toBytes(treeWrite(answer, id, created));
            byte[] actual = codec.writeResponse(answer, id, created);

            assertThat(new String(actual, StandardCharsets.UTF_8)).as("answer %s", answer).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static ChatResponse randomAnswer(Random random) {
        List<Choice> choices = new ArrayList<>();
        FinishReason[] reasons = FinishReason.values();
        for (int i = random.nextInt(4) == 0 ? random.nextInt(3) + 2 : 1; i > 0; i--) {
            List<ContentPart> content = new ArrayList<>();
            for (int p = random.nextInt(4) == 0 ? random.nextInt(3) : 1; p > 0; p--) {
                content.add(ContentPart.text(pick(random, TEXTS)));
            }
            List<ToolCall> calls = new ArrayList<>();
            for (int t = random.nextInt(4) == 0 ? random.nextInt(3) + 1 : 0; t > 0; t--) {
                calls.add(new ToolCall("call_" + random.nextInt(100), "f" + pick(random, TEXTS), random.nextBoolean() ? null : pick(random, TEXTS)));
            }
            FinishReason finish = random.nextInt(5) == 0 ? null : reasons[random.nextInt(reasons.length)];
            choices.add(new Choice(random.nextInt(4), new ChatMessage(Role.ASSISTANT, content, calls, null, null), finish));
        }
        Usage usage = random.nextInt(5) == 0 ? Usage.NONE : new Usage(random.nextInt(100_000), random.nextLong() >>> 2, random.nextInt(50));
        return new ChatResponse(random.nextBoolean() ? null : "id-" + random.nextInt(9), pick(random, TEXTS), choices, usage);
    }

    // ---- the earlier, tree-based writer, unchanged

    private static ObjectNode treeWrite(ChatResponse r, String id, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", r.model());
        ArrayNode choices = o.putArray("choices");
        for (Choice c : r.choices()) {
            ObjectNode choice = choices.addObject().put("index", c.index());
            ObjectNode m = choice.putObject("message").put("role", "assistant");
            if (c.message().content().isEmpty()) {
                m.putNull("content");
            } else {
                m.put("content", c.message().text());
            }
            if (!c.message().toolCalls().isEmpty()) {
                ArrayNode calls = m.putArray("tool_calls");
                c.message().toolCalls().forEach(t -> calls.add(RequestWriter.toolCall(t)));
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", ResponseCodec.finishReason(c.finishReason()));
        }
        o.set("usage", treeUsage(r.usage()));
        return o;
    }

    private static ObjectNode treeUsage(Usage u) {
        ObjectNode o = NODES.objectNode().put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        return o;
    }
}
