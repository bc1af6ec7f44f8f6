package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming chunk reader against the tree reader: for every text, {@link OpenAiCodec#readChunks(String)} gives
 * what {@code readChunks(parse(text))} gives (the same chunks, or the same exception and message); well-formed
 * chunks take the streaming path, odd ones are left to the tree path.
 */
class ChunkReaderTest {
    private static final String TEXT = "{\"id\":\"c-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[";
    private final OpenAiCodec codec = OpenAiCodec.shared();

    /** Chunks the streaming reader reads itself. */
    static Stream<String> wellFormed() {
        Stream<String> fixtures = Stream.of("openai/chat-stream.sse", "openai/chat-stream-tool-call.sse", "azure-openai/chat-stream.sse")
                .flatMap(f -> sseData(f).stream());
        Stream<String> shapes = Stream.of(
                "{}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}",
                " \n {\"choices\" : [ { \"delta\" : { \"content\" : \"spaced\" } } ] } \n",
                // several choices, index absent or out of order
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}",
                TEXT + "{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}",
                TEXT + "{\"index\":3,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
                // finish reasons
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":\"function_call\"}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":\"eos\"}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":\"\"}]}",
                // refusal, content of other types, delta of other types
                TEXT + "{\"index\":0,\"delta\":{\"content\":null,\"refusal\":\"I can't help with that.\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"refusal\":\"no\",\"content\":\"yes\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"\",\"refusal\":\"no\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":42,\"refusal\":{\"a\":1}}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":[\"x\"]}}]}",
                TEXT + "{\"index\":0,\"delta\":null,\"finish_reason\":\"stop\"}]}",
                TEXT + "{\"index\":0,\"delta\":\"text\"}]}",
                TEXT + "{\"index\":0,\"delta\":[1,2]}]}",
                TEXT + "{\"index\":0}]}",
                // tool-call deltas
                TEXT + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":null}},{\"id\":7,\"function\":null},"
                        + "{\"index\":5,\"function\":\"f\"},{\"function\":{\"name\":3}},{}]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":null,\"content\":\"x\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[]}}]}",
                // usage: top-level, Groq's, DeepSeek's cache hits, odd values read as 0 or absent
                "{\"id\":\"c-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":7,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}",
                "{\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10}}",
                "{\"choices\":null,\"usage\":{\"prompt_tokens\":1}}",
                "{\"choices\":[],\"usage\":null}",
                "{\"choices\":[],\"usage\":[1,2]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":\"7\",\"prompt_tokens_details\":null}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":5000000000,\"completion_tokens\":0,\"prompt_tokens_details\":[1]}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"prompt_cache_hit_tokens\":4,\"prompt_cache_miss_tokens\":5}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"prompt_cache_hit_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"prompt_cache_hit_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":2}}}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                        + "\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"queue_time\":0.01,\"prompt_tokens\":5,\"completion_tokens\":2}}}",
                "{\"choices\":[],\"x_groq\":{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}},\"usage\":{\"prompt_tokens\":1}}",
                "{\"choices\":[],\"usage\":null,\"x_groq\":{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}}",
                "{\"choices\":[],\"x_groq\":{\"usage\":null}}",
                "{\"choices\":[],\"x_groq\":\"x\"}",
                "{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
                // ids and models of other types, a null error, unknown nested fields
                "{\"id\":12,\"model\":null,\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":{\"a\":[1,{\"b\":2}]},\"model\":[\"m\"],\"choices\":[]}",
                "{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"x\"},\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.1,\"bytes\":[120],"
                        + "\"top_logprobs\":[]}]},\"content_filter_results\":{\"hate\":{\"filtered\":false}}}],\"system_fingerprint\":null}",
                // a field given twice counts by its last occurrence, as in a tree
                "{\"id\":\"a\",\"id\":\"b\",\"model\":\"m1\",\"model\":7,\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"choices\":[]}",
                "{\"choices\":[{\"index\":1,\"index\":2,\"delta\":{\"content\":\"x\"},\"delta\":{\"refusal\":\"r\"},\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"1\"},\"function\":{\"arguments\":\"2\"},\"id\":\"i\",\"id\":null}]}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"prompt_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":1},"
                        + "\"prompt_tokens_details\":{}},\"usage\":{\"prompt_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1,\"cached_tokens\":2}}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1},\"usage\":null,\"x_groq\":{\"usage\":{\"prompt_tokens\":4},\"usage\":{\"prompt_tokens\":5}}}",
                // escapes and non-ASCII text
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"\\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 é 😀 \u2028\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"a lone surrogate escaped \\ud800 and raw \uD800\"}}]}", // the raw one reads as '?' on both paths
                TEXT + "{\"index\":0,\"delta\":{\"content\":\"" + "long text ".repeat(5_000) + "\"}}]}");
        return Stream.concat(fixtures, shapes);
    }

    /** Texts the streaming reader leaves to the tree path: not JSON, not an object, error objects, odd field types. */
    static Stream<String> odd() {
        return Stream.of(
                "{\"choices\":[{\"delta\":{\"content\":\"Hi\"", "hello", "{'a':1}", "{\"a\":1,}", "{\"a\":\"\u0001\"}", "[DONE]",
                "[1]", "\"x\"", "42", "null", "true",
                "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}", "{\"error\":\"model not found\"}",
                "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"error\":{\"message\":\"late\"}}",
                "{\"error\":{\"message\":\"x\"},\"error\":null,\"choices\":[{\"delta\":{\"content\":\"y\"}}]}",
                "{\"choices\":\"x\"}", "{\"choices\":{\"index\":0}}", "{\"choices\":[1]}", "{\"choices\":[null]}",
                "{\"choices\":[{\"delta\":{}},\"x\"]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":\"x\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[1]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\"}},[]]}}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":1}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":{\"type\":\"stop\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{},\"finish_reason\":false}]}",
                TEXT + "{\"index\":\"1\",\"delta\":{\"content\":\"x\"}}]}",
                TEXT + "{\"index\":1.5,\"delta\":{\"content\":\"x\"}}]}",
                TEXT + "{\"index\":null,\"delta\":{\"content\":\"x\"}}]}",
                TEXT + "{\"index\":3000000000,\"delta\":{\"content\":\"x\"}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":\"0\"}]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":[1,\"b\"]}}}]}}]}",
                TEXT + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":12}}]}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1.5,\"completion_tokens\":2}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1e3}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":99999999999999999999}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":2.0}}}",
                "{\"choices\":[]} x", "{\"choices\":[]} {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", "{} ]");
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void readsWellFormedChunksWithTheStreamingParserAsTheTreeReaderDoes(String json) {
        ChunkReader.Chunk chunk = codec.readWellFormedChunk(json);

        assertThat(chunk).as("read with the streaming parser").isNotNull();
        JsonNode tree = codec.parse(json);
        assertThat(chunk.chunks()).isEqualTo(codec.readChunks(tree));
        assertThat(chunk.id()).isEqualTo(tree.path("id").textValue());
        assertThat(chunk.model()).isEqualTo(tree.path("model").textValue());
        assertThat(outcome(() -> codec.readChunks(json))).isEqualTo(outcome(() -> codec.readChunks(codec.parse(json))));
    }

    @ParameterizedTest
    @MethodSource("odd")
    void leavesOddTextsToTheTreePathWithTheSameOutcome(String json) {
        assertThat(codec.readWellFormedChunk(json)).as("left to the tree path").isNull();
        assertThat(outcome(() -> codec.readChunks(json))).isEqualTo(outcome(() -> codec.readChunks(codec.parse(json))));
    }

    @Test
    void readsTheFieldsOfATypicalChunk() {
        ChunkReader.Chunk c = codec.readWellFormedChunk("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\",\"tool_calls\":[{\"index\":1,\"id\":\"c1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":2}}}");

        assertThat(c.id()).isEqualTo("chatcmpl-1");
        assertThat(c.model()).isEqualTo("gpt-4o");
        assertThat(c.chunks()).containsExactly(new ChatChunk(0, "Hel", List.of(new ToolCallDelta(1, "c1", "f", "{")),
                FinishReason.TOOL_CALLS, new Usage(9, 4, 2)));
    }

    @Test
    void aUsageOnlyChunkAndGroqUsage() {
        assertThat(codec.readChunks("{\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10}}"))
                .containsExactly(ChatChunk.usage(Usage.of(19, 10)));
        assertThat(codec.readChunks("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"x_groq\":{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}}"))
                .containsExactly(new ChatChunk(0, "", List.of(), FinishReason.STOP, Usage.of(5, 2)));
        assertThat(codec.readChunks("{\"choices\":[]}")).isEmpty();
    }

    @Test
    void malformedChunksFailAsBefore() {
        assertThatThrownBy(() -> codec.readChunks("{\"choices\":\"x\"}"))
                .isInstanceOf(OpenAiFormatException.class).hasMessage("choices: must be an array, was string");
        assertThatThrownBy(() -> codec.readChunks("{\"choices\":[{\"delta\":{\"tool_calls\":[1]}}]}"))
                .isInstanceOf(OpenAiFormatException.class).hasMessage("choices[0].delta.tool_calls[0]: must be an object, was number");
        assertThatThrownBy(() -> codec.readChunks("{\"choices\":[{},{\"finish_reason\":3}]}"))
                .isInstanceOf(OpenAiFormatException.class).hasMessage("choices[1].finish_reason: must be a string, was number");
        assertThatThrownBy(() -> codec.readChunks("[1]"))
                .isInstanceOf(OpenAiFormatException.class).hasMessage("a chat completion chunk must be a JSON object, was array");
        assertThatThrownBy(() -> codec.readChunks("{\"choices\":["))
                .isInstanceOf(OpenAiFormatException.class).hasMessageStartingWith("not valid JSON: ");
    }

    @Test
    void argumentsSentAsAJsonValueAreReadAsItsText() {
        assertThat(codec.readChunks("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":1}}}]}}]}"))
                .containsExactly(new ChatChunk(0, "", List.of(new ToolCallDelta(0, null, null, "{\"a\":1}")), null, null));
    }

    /** The chunks, or the exception's class and message. */
    private static Object outcome(Supplier<List<ChatChunk>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** The data of an SSE fixture's events, {@code [DONE]} excluded. */
    private static List<String> sseData(String fixture) {
        try (InputStream in = ChunkReaderTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]")).map(l -> l.substring(6)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
