package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming answer reader against the tree reader: every answer it reads equals what
 * {@code readResponse(parse(body))} gives for the same body; everything else (error objects, odd tool calls, content
 * parts, odd field types, not JSON) it leaves to the tree path, which then reads or rejects it as before.
 */
class AnswerReaderTest {
    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[";
    private static final String MSG = "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"}";
    private static final String CALL = "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}";
    private final OpenAiCodec codec = OpenAiCodec.shared();

    private static String toolCalls(String call) {
        return HEAD + "{\"message\":{\"content\":null,\"tool_calls\":[" + call + "]}}]}";
    }

    /** Answers the streaming reader reads itself. */
    static Stream<String> wellFormed() {
        return Stream.of(
                fixture("openai/chat-completion.json"), fixture("openai/chat-completion-structured.json"),
                fixture("azure-openai/chat-completion.json"), fixture("azure-openai/chat-completion-content-filtered.json"),
                HEAD + "{\"index\":0," + MSG + ",\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}",
                " \n {\"choices\" : [ { " + MSG + " } ] } \n",
                // several choices, index absent or out of order, every finish reason
                HEAD + "{\"index\":1," + MSG + ",\"finish_reason\":\"length\"},{\"index\":0," + MSG + ",\"finish_reason\":\"content_filter\"}]}",
                HEAD + "{" + MSG + "},{" + MSG + ",\"finish_reason\":\"tool_calls\"},{" + MSG + ",\"finish_reason\":\"eos\"}]}",
                HEAD + "{" + MSG + ",\"finish_reason\":\"function_call\"},{" + MSG + ",\"finish_reason\":\"\"},{" + MSG + ",\"finish_reason\":null}]}",
                // content absent, null, empty; refusals
                HEAD + "{\"message\":{\"role\":\"assistant\"}}]}",
                HEAD + "{\"message\":{\"content\":null,\"refusal\":\"I can't help with that.\"}}]}",
                HEAD + "{\"message\":{\"content\":\"\",\"refusal\":\"no\"}}]}",
                HEAD + "{\"message\":{\"content\":null,\"refusal\":\"\"}}]}",
                HEAD + "{\"message\":{\"content\":\"yes\",\"refusal\":{\"a\":1}}}]}",
                HEAD + "{\"message\":{\"content\":\"x\",\"tool_calls\":null}}]}",
                HEAD + "{\"message\":{\"content\":\"x\",\"tool_calls\":[]}}]}",
                // tool calls: type absent or null, arguments absent, null or empty, several calls, fields twice
                fixture("openai/chat-completion-tool-call.json"),
                HEAD + "{\"message\":{\"content\":null,\"tool_calls\":[" + CALL + "]},\"finish_reason\":\"tool_calls\"}]}",
                HEAD + "{\"message\":{\"content\":\"let me look\",\"tool_calls\":[" + CALL + "," + CALL.replace("c1", "c2") + "]}}]}",
                HEAD + "{\"message\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\"}}]}}]}",
                HEAD + "{\"message\":{\"tool_calls\":[{\"id\":\"c1\",\"type\":null,\"function\":{\"name\":\"f\",\"arguments\":null}}]}}]}",
                HEAD + "{\"message\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"\",\"x\":[1]},\"index\":0}]}}]}",
                HEAD + "{\"message\":{\"tool_calls\":[{\"id\":\"a\",\"id\":\"b\",\"function\":{\"name\":\"f\",\"arguments\":\"1\"},"
                        + "\"function\":{\"name\":\"g\"}}],\"tool_calls\":[" + CALL + "]}}]}",
                // usage: details, DeepSeek's cache hits, odd values read as 0 or absent
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":7}}}",
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":9,\"prompt_cache_hit_tokens\":4,\"prompt_cache_miss_tokens\":5}}",
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":\"7\",\"prompt_tokens_details\":null}}",
                HEAD + "{" + MSG + "}],\"usage\":null}",
                HEAD + "{" + MSG + "}],\"usage\":[1]}",
                // ids of other types, a null error, unknown nested fields
                "{\"id\":12,\"model\":\"m\",\"choices\":[{" + MSG + "}]}",
                "{\"id\":{\"a\":[1,{\"b\":2}]},\"choices\":[{" + MSG + "}],\"system_fingerprint\":\"fp\",\"service_tier\":\"default\"}",
                "{\"error\":null,\"choices\":[{" + MSG + "}]}",
                HEAD + "{" + MSG + ",\"logprobs\":{\"content\":[{\"token\":\"x\",\"bytes\":[120],\"top_logprobs\":[]}]}}]}",
                // a field given twice counts by its last occurrence, as in a tree
                "{\"id\":\"a\",\"id\":\"b\",\"model\":\"m1\",\"model\":\"m2\",\"choices\":[{" + MSG + "}],\"choices\":[{\"message\":{\"content\":\"y\"}}]}",
                HEAD + "{\"index\":1,\"index\":2,\"message\":{\"content\":\"x\",\"content\":null,\"refusal\":\"r\"},\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":1},\"usage\":{\"prompt_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1,\"cached_tokens\":2}}}",
                // escapes and non-ASCII text, a long answer
                HEAD + "{\"message\":{\"content\":\"\\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 é 😀 \u2028\"}}]}",
                HEAD + "{\"message\":{\"content\":\"" + "long text ".repeat(5_000) + "\"}}]}");
    }

    /** Bodies the streaming reader leaves to the tree path. */
    static Stream<String> odd() {
        return Stream.of(
                "", "hello", "{\"choices\":[{" + MSG, "{'a':1}", "[1]", "\"x\"", "null", "{\"a\":1,}",
                fixture("openai/error-429.json"),
                "{\"error\":{\"message\":\"overloaded\"},\"choices\":[{" + MSG + "}]}",
                "{\"error\":{\"message\":\"x\"},\"error\":null,\"choices\":[{" + MSG + "}]}",
                "{}", "{\"choices\":[]}", "{\"choices\":null}", "{\"choices\":\"x\"}", "{\"choices\":[1]}", "{\"choices\":[null]}",
                "{\"choices\":[{}]}", "{\"choices\":[{\"message\":null}]}", "{\"choices\":[{\"message\":\"Hi\"}]}",
                "{\"model\":null,\"choices\":[{" + MSG + "}]}", "{\"model\":7,\"choices\":[{" + MSG + "}]}",
                HEAD + "{\"index\":\"1\"," + MSG + "}]}", HEAD + "{\"index\":1.5," + MSG + "}]}", HEAD + "{\"index\":-1," + MSG + "}]}",
                HEAD + "{\"index\":null," + MSG + "}]}", HEAD + "{\"index\":3000000000," + MSG + "}]}",
                HEAD + "{" + MSG + ",\"finish_reason\":1}]}", HEAD + "{" + MSG + ",\"finish_reason\":{\"type\":\"stop\"}}]}",
                HEAD + "{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}}]}",
                HEAD + "{\"message\":{\"content\":42}}]}",
                HEAD + "{\"message\":{\"content\":\"x\",\"tool_calls\":\"x\"}}]}",
                // tool calls the tree reader rejects, or whose JSON arguments it writes out as text
                toolCalls("1"), toolCalls("null"), toolCalls("[]"),
                toolCalls("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"),
                toolCalls("{\"id\":\"\",\"function\":{\"name\":\"f\"}}"), toolCalls("{\"id\":7,\"function\":{\"name\":\"f\"}}"),
                toolCalls("{\"id\":\"c1\",\"type\":\"code\",\"function\":{\"name\":\"f\"}}"),
                toolCalls("{\"id\":\"c1\",\"type\":1,\"function\":{\"name\":\"f\"}}"),
                toolCalls("{\"id\":\"c1\"}"), toolCalls("{\"id\":\"c1\",\"function\":null}"), toolCalls("{\"id\":\"c1\",\"function\":\"f\"}"),
                toolCalls("{\"id\":\"c1\",\"function\":{}}"), toolCalls("{\"id\":\"c1\",\"function\":{\"name\":\" \"}}"),
                toolCalls("{\"id\":\"c1\",\"function\":{\"name\":[\"f\"]}}"),
                toolCalls("{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":{\"q\":1}}}"),
                toolCalls("{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":3}}"),
                toolCalls("{\"id\":\"c1\",\"function\":{\"name\":\"f\"},\"function\":{\"arguments\":\"x\"}}"),
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":1.5}}",
                HEAD + "{" + MSG + "}],\"usage\":{\"prompt_tokens\":99999999999999999999}}",
                HEAD + "{" + MSG + "}]} x", HEAD + "{" + MSG + "}]} {}");
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void readsWellFormedAnswersWithTheStreamingParserAsTheTreeReaderDoes(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ChatResponse fast = codec.readWellFormedResponse(body);

        assertThat(fast).as("read with the streaming parser").isNotNull();
        assertThat(fast).isEqualTo(codec.readResponse(codec.parse(body)));
    }

    @ParameterizedTest
    @MethodSource("odd")
    void leavesOddAnswersToTheTreePath(String json) {
        assertThat(codec.readWellFormedResponse(json.getBytes(StandardCharsets.UTF_8))).as("left to the tree path").isNull();
    }

    @Test
    void readsTheFieldsOfATypicalAnswer() {
        ChatResponse r = codec.readWellFormedResponse((HEAD + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":2}}}").getBytes(StandardCharsets.UTF_8));

        assertThat(r.id()).isEqualTo("chatcmpl-1");
        assertThat(r.model()).isEqualTo("gpt-4o");
        assertThat(r.choices()).singleElement().satisfies(c -> {
            assertThat(c.index()).isZero();
            assertThat(c.message().text()).isEqualTo("Hello!");
            assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        });
        assertThat(r.usage()).isEqualTo(new Usage(9, 4, 2));
    }

    private static String fixture(String name) {
        try (InputStream in = AnswerReaderTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
