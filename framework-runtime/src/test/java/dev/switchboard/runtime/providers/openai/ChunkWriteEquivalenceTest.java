package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiCodec#writeChunk} against the tree-based writer it replaced (kept here, as it was, for reference):
 * the same bytes for many random chunks: text with escapes and non-ASCII, tool-call fragments, finish reasons,
 * usage, null ids.
 */
class ChunkWriteEquivalenceTest {
    /** Texts with escapes, control and non-ASCII characters, and one long text (shared with {@link AnswerWriteEquivalenceTest}). */
    static final String[] TEXTS = {"", "Hello", " world", "a\"b\\c", "\n\t\r\u0000\u001f", "é ü ß", "😀 emoji", "\u2028\u2029",
        "</script>", "{\"json\":[1,2]}", "x".repeat(9_000)};
    private final OpenAiCodec codec = OpenAiCodec.shared();

    @Test
    void writesTheSameBytesAsTheTreeWriterForRandomChunks() {
        Random random = new Random(20240611L);
        for (int n = 0; n < 3_000; n++) {
            ChatChunk chunk = randomChunk(random);
            String id = random.nextInt(8) == 0 ? null : "chatcmpl-" + pick(random, TEXTS);
            String model = random.nextInt(8) == 0 ? null : pick(random, TEXTS);
            long created = random.nextLong();

            byte[] expected = codec.toBytes(treeWrite(chunk, id, model, created));
            byte[] actual = codec.writeChunk(chunk, id, model, created);

            assertThat(new String(actual, StandardCharsets.UTF_8)).as("chunk %s", chunk).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void aStreamsWriterWritesTheSameBytesAsWriteChunkAndTakesItsShortWayForTextAndFinishReasons() {
        Random random = new Random(20261130L);
        java.util.Map<StreamChunkWriter.Kind, Integer> kinds = new java.util.EnumMap<>(StreamChunkWriter.Kind.class);
        for (int s = 0; s < 300; s++) {
            String id = random.nextInt(8) == 0 ? null : "chatcmpl-" + randomText(random);
            String model = random.nextInt(8) == 0 ? null : random.nextBoolean() ? "gpt-4o" : randomText(random);
            long created = random.nextLong();
            StreamChunkWriter writer = codec.streamChunkWriter(id, model, created);
            for (int n = 0; n < 20; n++) {
                ChatChunk chunk = switch (random.nextInt(4)) {
                    case 0 -> randomChunk(random);
                    case 1 -> new ChatChunk(0, "", List.of(), FinishReason.values()[random.nextInt(FinishReason.values().length)], null);
                    default -> ChatChunk.text(random.nextBoolean() ? pick(random, TEXTS) : randomText(random));
                };
                kinds.merge(writer.kind(chunk), 1, Integer::sum);
                byte[] expected = codec.writeChunk(chunk, id, model, created);
                byte[] actual = writer.write(chunk);
                assertThat(new String(actual, StandardCharsets.UTF_8)).as("chunk %s of %s / %s", chunk, id, model)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(actual).isEqualTo(expected);
            }
        }
        assertThat(kinds.getOrDefault(StreamChunkWriter.Kind.TEXT, 0)).isGreaterThan(1_000);
        assertThat(kinds.getOrDefault(StreamChunkWriter.Kind.FINISH, 0)).isGreaterThan(500);
        assertThat(kinds.getOrDefault(StreamChunkWriter.Kind.OTHER, 0)).isGreaterThan(500);
    }

    /** Up to 12 characters from all of Unicode's basic plane (control characters, quotes, lone surrogates among them). */
    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(12) + 1; i > 0; i--) {
            sb.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(0x80));
        }
        return sb.toString();
    }

    private static ChatChunk randomChunk(Random random) {
        List<ToolCallDelta> tools = new ArrayList<>();
        for (int i = random.nextInt(4) == 0 ? random.nextInt(3) + 1 : 0; i > 0; i--) {
            tools.add(new ToolCallDelta(random.nextInt(5), random.nextBoolean() ? null : pick(random, TEXTS),
                    random.nextBoolean() ? null : pick(random, TEXTS), random.nextInt(4) == 0 ? null : pick(random, TEXTS)));
        }
        FinishReason[] reasons = FinishReason.values();
        FinishReason finish = random.nextInt(3) == 0 ? reasons[random.nextInt(reasons.length)] : null;
        Usage usage = random.nextInt(4) == 0 ? new Usage(random.nextInt(100_000), random.nextLong() >>> 2, random.nextInt(50)) : null;
        String text = random.nextBoolean() ? "" : pick(random, TEXTS);
        return new ChatChunk(random.nextInt(3), text, tools, finish, usage);
    }

    static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    // ---- the earlier, tree-based writer, unchanged

    private static ObjectNode treeWrite(ChatChunk c, String id, String model, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ArrayNode choices = o.putArray("choices");
        boolean usageOnly = c.usage() != null && !c.hasContent() && c.finishReason() == null;
        if (!usageOnly) {
            ObjectNode choice = choices.addObject().put("index", c.choiceIndex());
            ObjectNode delta = choice.putObject("delta");
            if (c.hasContent()) {
                delta.put("role", "assistant");
            }
            if (!c.text().isEmpty()) {
                delta.put("content", c.text());
            }
            if (!c.toolCalls().isEmpty()) {
                ArrayNode calls = delta.putArray("tool_calls");
                c.toolCalls().forEach(t -> calls.add(treeToolDelta(t)));
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", ResponseCodec.finishReason(c.finishReason()));
        }
        if (c.usage() != null) {
            o.set("usage", treeUsage(c.usage()));
        }
        return o;
    }

    private static ObjectNode treeToolDelta(ToolCallDelta t) {
        ObjectNode o = NODES.objectNode().put("index", t.index());
        if (t.id() != null) {
            o.put("id", t.id()).put("type", "function");
        }
        ObjectNode f = o.putObject("function");
        if (t.name() != null) {
            f.put("name", t.name());
        }
        f.put("arguments", t.argumentsFragment() == null ? "" : t.argumentsFragment());
        return o;
    }

    private static ObjectNode treeUsage(Usage u) {
        ObjectNode o = NODES.objectNode().put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        return o;
    }
}
