package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiCodecAnswerTest {
    private final OpenAiCodec codec = OpenAiCodec.shared();

    @Test
    void readsACompletionWithCachedTokens() {
        ChatResponse r = codec.readResponse(Fixtures.json("chat-completion.json"));

        assertThat(r.id()).isEqualTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
        assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(r.text()).isEqualTo("Hello! How can I assist you today?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(new Usage(1117, 10, 1024));
    }

    @Test
    void readsToolCalls() {
        ChatResponse r = codec.readResponse(Fixtures.json("chat-completion-tool-call.json"));

        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.message().content()).isEmpty();
        assertThat(r.message().toolCalls()).containsExactly(
                new ToolCall("call_8kX2fQm1Vn4hJz7Lp0Ws3aBc", "get_current_weather", "{\"location\":\"Boston, MA\",\"unit\":\"fahrenheit\"}"),
                new ToolCall("call_Qd5rT9yUe2oPi6As1Df4Gh7J", "get_current_weather", "{\"location\":\"Tokyo, Japan\",\"unit\":\"celsius\"}"));
    }

    @Test
    void writesACompletionTheWayItIsRead() {
        ChatResponse original = new ChatResponse("x", "gpt-4o", List.of(
                new Choice(0, ChatMessage.assistant("Hi"), FinishReason.STOP),
                new Choice(1, ChatMessage.assistantToolCalls(null, List.of(new ToolCall("c1", "f", "{}"))), FinishReason.TOOL_CALLS)),
                new Usage(12, 3, 4));

        JsonNode body = codec.parse(codec.writeResponse(original, "chatcmpl-1", 1700000000L));

        assertThat(body.path("id").asText()).isEqualTo("chatcmpl-1");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isEqualTo(1700000000L);
        assertThat(body.at("/choices/1/message/content").isNull()).isTrue();
        assertThat(body.at("/choices/1/message/tool_calls/0/function/name").asText()).isEqualTo("f");
        assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(15);
        assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(4);
        ChatResponse read = codec.readResponse(body);
        assertThat(read.choices()).isEqualTo(original.choices());
        assertThat(read.usage()).isEqualTo(original.usage());
    }

    @Test
    void finishReasonsOpenAiDoesNotKnowAreWrittenAsStop() {
        ChatResponse r = ChatResponse.ofText("x", "m", "t", FinishReason.OTHER, null);
        assertThat(codec.parse(codec.writeResponse(r, "i", 1)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void missingChoicesIsAFormatError() {
        assertThatThrownBy(() -> codec.readResponse(codec.parse("{\"id\":\"x\",\"choices\":[]}")))
                .isInstanceOf(OpenAiFormatException.class).hasMessage("choices: must be a non-empty array");
    }

    @Test
    void readsStreamChunksInOrder() {
        List<JsonNode> events = Fixtures.sseChunks("chat-stream.sse");
        StringBuilder text = new StringBuilder();
        for (JsonNode e : events) {
            text.append(codec.readChunk(e).text());
        }
        assertThat(text).hasToString("Hello! How can I help you today?");
        assertThat(codec.readChunk(events.get(events.size() - 2)).finishReason()).isEqualTo(FinishReason.STOP);
        ChatChunk usage = codec.readChunk(events.get(events.size() - 1));
        assertThat(usage.usage()).isEqualTo(Usage.of(19, 10));
        assertThat(usage.hasContent()).isFalse();
    }

    @Test
    void readsToolCallDeltas() {
        List<JsonNode> events = Fixtures.sseChunks("chat-stream-tool-call.sse");
        assertThat(codec.readChunk(events.get(0)).toolCalls())
                .containsExactly(new ToolCallDelta(0, "call_DdmvZ5u3S2bQp8xWf0Lk4nR7", "get_current_weather", ""));
        assertThat(codec.readChunk(events.get(1)).toolCalls()).containsExactly(new ToolCallDelta(0, null, null, "{\""));
    }

    @Test
    void readsGroqUsageAndSeveralChoices() {
        JsonNode groq = codec.parse("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"x_groq\":{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}}");
        assertThat(codec.readChunk(groq).usage()).isEqualTo(Usage.of(5, 2));
        JsonNode two = codec.parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}");
        assertThat(codec.readChunks(two)).extracting(ChatChunk::choiceIndex, ChatChunk::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "a"), org.assertj.core.groups.Tuple.tuple(1, "b"));
    }

    @Test
    void writesChunksIncludingAUsageChunkWithEmptyChoices() {
        JsonNode text = codec.parse(codec.writeChunk(ChatChunk.text("Hel"), "chatcmpl-1", "gpt-4o", 42));
        assertThat(text.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(text.at("/choices/0/delta/content").asText()).isEqualTo("Hel");
        assertThat(text.at("/choices/0/finish_reason").isNull()).isTrue();

        JsonNode usage = codec.parse(codec.writeChunk(ChatChunk.usage(new Usage(9, 4, 2)), "chatcmpl-1", "gpt-4o", 42));
        assertThat(usage.path("choices").isArray()).isTrue();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/prompt_tokens").asLong()).isEqualTo(9);
        assertThat(codec.readChunk(usage).usage()).isEqualTo(new Usage(9, 4, 2));

        ChatChunk tool = new ChatChunk(0, "", List.of(new ToolCallDelta(0, "c1", "f", "{\"a\"")), null, null);
        assertThat(codec.readChunk(codec.parse(codec.writeChunk(tool, "i", "m", 1)))).isEqualTo(tool);
        ChatChunk finish = ChatChunk.finish(0, FinishReason.LENGTH);
        assertThat(codec.readChunk(codec.parse(codec.writeChunk(finish, "i", "m", 1)))).isEqualTo(finish);
    }

    @Test
    void embeddingsBothWays() {
        EmbeddingResponse r = codec.readEmbeddingResponse(Fixtures.json("embeddings.json"));
        assertThat(r.model()).isEqualTo("text-embedding-3-small");
        assertThat(r.vectors()).hasSize(2);
        assertThat(r.vectors().get(0)).hasSize(8).startsWith(-0.0114673935f);
        assertThat(r.usage().inputTokens()).isEqualTo(12);

        for (boolean base64 : new boolean[] {false, true}) {
            EmbeddingResponse back = codec.readEmbeddingResponse(codec.parse(codec.writeEmbeddingResponse(r, base64)));
            assertThat(back.vectors().get(1)).containsExactly(r.vectors().get(1));
            assertThat(back.usage()).isEqualTo(r.usage());
        }

        EmbeddingRequest req = new EmbeddingRequest("text-embedding-3-small", List.of("a", "b"), 256);
        JsonNode body = codec.parse(codec.writeEmbeddingRequest(req));
        assertThat(body.toString()).isEqualTo("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":256}");
        assertThat(codec.readEmbeddingRequest(body)).isEqualTo(req);
        assertThat(codec.readEmbeddingRequest(codec.parse("{\"model\":\"m\",\"input\":\"one\"}")).inputs()).containsExactly("one");
        assertThatThrownBy(() -> codec.readEmbeddingRequest(codec.parse("{\"model\":\"m\",\"input\":[[1,2]]}")))
                .isInstanceOf(OpenAiFormatException.class).hasMessageStartingWith("input[0]: must be a string");
    }
}
