package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact bytes {@link OpenAiCodec#writeChunk} writes for every kind of chunk. The expected texts are what
 * the earlier tree-based writer (an {@code ObjectNode} serialized by the mapper) wrote, so the streaming writer
 * is checked byte for byte against it; {@link ChunkWriteEquivalenceTest} compares the two on random chunks.
 */
class ChunkWriteTest {
    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":42,\"model\":\"gpt-4o\",";
    private static final String USAGE_9_4_2 =
            "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":2}}";

    private final OpenAiCodec codec = OpenAiCodec.shared();

    static Stream<Arguments> chunks() {
        String big = "lorem ipsum ".repeat(2_000);
        return Stream.of(
                Arguments.of("text", ChatChunk.text("Hel"),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}]}"),
                // supplementary characters (the emoji) are written as escaped surrogate pairs, other non-ASCII as UTF-8
                Arguments.of("escapes and non-ASCII", ChatChunk.text("a\"b\\c\n\t\u0001/é😀</script>\u2028"),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"a\\\"b\\\\c\\n\\t\\u0001/é\\uD83D\\uDE00</script>\u2028\"},"
                                + "\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("a text larger than the generator's buffers", ChatChunk.text(big),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + big
                                + "\"},\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("empty", ChatChunk.text(""),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("finish", ChatChunk.finish(0, FinishReason.STOP),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}"),
                Arguments.of("finish length, choice 2", ChatChunk.finish(2, FinishReason.LENGTH),
                        HEAD + "\"choices\":[{\"index\":2,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}]}"),
                Arguments.of("finish content_filter", ChatChunk.finish(0, FinishReason.CONTENT_FILTER),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"content_filter\"}]}"),
                Arguments.of("finish other is written as stop", ChatChunk.finish(0, FinishReason.OTHER),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}"),
                Arguments.of("finish error is written as stop", ChatChunk.finish(0, FinishReason.ERROR),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}"),
                Arguments.of("text and finish", new ChatChunk(1, "end.", List.of(), FinishReason.STOP, null),
                        HEAD + "\"choices\":[{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"end.\"},\"logprobs\":null,"
                                + "\"finish_reason\":\"stop\"}]}"),
                Arguments.of("first tool-call fragment", new ChatChunk(0, "", List.of(new ToolCallDelta(0, "c1", "get_weather", "")), null, null),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("later tool-call fragment", new ChatChunk(0, "", List.of(new ToolCallDelta(0, null, null, "{\"a\"")), null, null),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                                + "\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("tool-call fragment without arguments, id without name",
                        new ChatChunk(0, "", List.of(new ToolCallDelta(3, "c9", null, null)), null, null),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":3,\"id\":\"c9\",\"type\":\"function\","
                                + "\"function\":{\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"),
                Arguments.of("text and two tool calls with a finish", new ChatChunk(0, "Let me check.",
                                List.of(new ToolCallDelta(0, "a", "f", "{}"), new ToolCallDelta(1, "b", "g", "[1]")), FinishReason.TOOL_CALLS, null),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me check.\",\"tool_calls\":["
                                + "{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                                + "{\"index\":1,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"[1]\"}}]},"
                                + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}"),
                Arguments.of("usage only", ChatChunk.usage(new Usage(9, 4, 2)), HEAD + "\"choices\":[]," + USAGE_9_4_2 + "}"),
                Arguments.of("usage only, none", ChatChunk.usage(Usage.NONE),
                        HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}"),
                Arguments.of("usage only, large counts", ChatChunk.usage(new Usage(5_000_000_000L, 1, 0)),
                        HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":5000000000,\"completion_tokens\":1,\"total_tokens\":5000000001,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}"),
                Arguments.of("text with usage", new ChatChunk(0, "x", List.of(), null, new Usage(9, 4, 2)),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"x\"},\"logprobs\":null,\"finish_reason\":null}],"
                                + USAGE_9_4_2 + "}"),
                Arguments.of("finish with usage", new ChatChunk(0, "", List.of(), FinishReason.STOP, new Usage(9, 4, 2)),
                        HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]," + USAGE_9_4_2 + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void writesTheSameBytesAsTheTreeWriter(String what, ChatChunk chunk, String expected) {
        assertThat(new String(codec.writeChunk(chunk, "chatcmpl-1", "gpt-4o", 42), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void writesUtf8(String what, ChatChunk chunk, String expected) {
        assertThat(codec.writeChunk(chunk, "chatcmpl-1", "gpt-4o", 42)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void nullIdAndModelAreWrittenAsNullAndCreatedAsGiven() {
        assertThat(new String(codec.writeChunk(ChatChunk.text("a"), null, null, -1_700_000_000_000L), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":null,\"object\":\"chat.completion.chunk\",\"created\":-1700000000000,\"model\":null,"
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"a\"},\"logprobs\":null,\"finish_reason\":null}]}");
    }
}
