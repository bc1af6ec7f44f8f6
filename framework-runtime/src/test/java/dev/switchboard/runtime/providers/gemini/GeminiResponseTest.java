package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.GENERATE;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.MODEL;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.STREAM;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.await;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the Gemini provider maps answers: plain, tool calls, blocked prompts, streams, embeddings. */
class GeminiResponseTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final ChatRequest hello = ChatRequest.builder(MODEL).message(ChatMessage.user("Capital of France?")).build();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = GeminiTestSupport.provider(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plainAnswerWithUsageIncludingCachedAndThoughtTokens() {
        server.raw("POST", GENERATE, RawResponse.json(200, fixture("generate-content.json")));
        ChatResponse r = await(provider.chat(hello));

        assertThat(r.id()).isEqualTo("mKf2aPqCLe2wvr0P4pPq0Ak");
        assertThat(r.model()).isEqualTo("gemini-2.5-flash");
        assertThat(r.text()).startsWith("The capital of France is Paris.").endsWith("10th century.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.message().toolCalls()).isEmpty();
        assertThat(r.usage()).isEqualTo(new Usage(4620, 34 + 311, 4096));
    }

    @Test
    void functionCallBecomesAToolCallCarryingItsThoughtSignature() {
        server.raw("POST", GENERATE, RawResponse.json(200, fixture("generate-content-function-call.json")));
        ChatResponse r = await(provider.chat(hello));

        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.text()).isEmpty();
        ToolCall call = r.message().toolCalls().get(0);
        assertThat(call.id()).startsWith("call_0" + ThoughtSignatures.SEPARATOR).endsWith("N47GFqw=");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"location\":\"Tokyo\"}");
        assertThat(r.usage()).isEqualTo(new Usage(83, 14 + 104, 0));
    }

    @Test
    void blockedPromptIsAContentFilterAnswer() {
        server.raw("POST", GENERATE, RawResponse.json(200, fixture("generate-content-prompt-blocked.json")));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.text()).isEmpty();
        assertThat(r.usage().inputTokens()).isEqualTo(9);
    }

    @Test
    void finishReasonsAndThoughtPartsAndSeveralCandidates() {
        server.raw("POST", GENERATE, RawResponse.json(200, "{\"candidates\":["
                + "{\"index\":0,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"thinking…\",\"thought\":true},{\"text\":\"A\"},{\"text\":\"B\"}]},\"finishReason\":\"MAX_TOKENS\"},"
                + "{\"index\":1,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"C\"}]},\"finishReason\":\"SAFETY\"},"
                + "{\"index\":2,\"finishReason\":\"MALFORMED_FUNCTION_CALL\"},"
                + "{\"index\":3,\"content\":{\"parts\":[{\"text\":\"D\"}]},\"finishReason\":\"LANGUAGE\"}]}"));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.choices()).extracting(c -> c.message().text()).containsExactly("AB", "C", "", "D");
        assertThat(r.choices()).extracting(c -> c.finishReason()).containsExactly(FinishReason.LENGTH,
                FinishReason.CONTENT_FILTER, FinishReason.ERROR, FinishReason.OTHER);
        assertThat(r.model()).isEqualTo(MODEL);
        assertThat(r.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void structuredOutputArrivesAsJsonText() {
        server.raw("POST", GENERATE, RawResponse.json(200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
                + "[{\"text\":\"{\\\"city\\\": \\\"Paris\\\"}\"}]},\"finishReason\":\"STOP\",\"index\":0}]}"));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.text()).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void streamDeliversChunksInOrderThenUsageAndAggregates() {
        server.raw("POST", STREAM, RawResponse.sse(200, fixture("stream.sse")).eventDelay(Duration.ofMillis(5)));
        assertThat(fixture("stream.sse")).contains("\r\n\r\n");
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r = await(provider.stream(hello, chunks::add));

        assertThat(chunks).extracting(ChatChunk::text).containsExactly("The capital of France is Paris",
                ". It sits on the Seine river in the north of the country", ".", "");
        assertThat(chunks.get(2).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(chunks.subList(0, 3)).allSatisfy(c -> assertThat(c.usage()).isNull());
        assertThat(chunks.get(3).usage()).isEqualTo(new Usage(8, 20 + 275, 0));
        assertThat(r.text()).isEqualTo("The capital of France is Paris. It sits on the Seine river in the north of the country.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.id()).isEqualTo("Hqb2aLyNB4OXvr0Pzu2g8AU");
        assertThat(r.usage()).isEqualTo(new Usage(8, 295, 0));
    }

    @Test
    void streamedFunctionCallsAreWholeFragmentsAndUnicodeLineSeparatorsStayInside() {
        String sse = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"a\u2028b\"}]},\"index\":0}]}\r\n\r\n"
                + "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"x\":1}}},"
                + "{\"functionCall\":{\"name\":\"g\",\"args\":{}}}]},\"index\":0}]}\r\n\r\n"
                + "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"id\":\"fc-9\",\"name\":\"h\"}}]},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":7}}\r\n\r\n";
        server.raw("POST", STREAM, RawResponse.sse(200, sse));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r = await(provider.stream(hello, chunks::add));

        assertThat(chunks.get(0).text()).isEqualTo("a\u2028b");
        assertThat(chunks.get(1).toolCalls()).hasSize(2);
        assertThat(chunks.get(1).toolCalls().get(1).index()).isEqualTo(1);
        assertThat(chunks.get(1).toolCalls().get(1).id()).isEqualTo("call_1");
        assertThat(chunks.get(2).toolCalls().get(0).index()).isEqualTo(2);
        assertThat(chunks.get(2).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.message().toolCalls()).extracting(ToolCall::id).containsExactly("call_0", "call_1", "fc-9");
        assertThat(r.message().toolCalls().get(0).arguments()).isEqualTo("{\"x\":1}");
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.usage()).isEqualTo(Usage.of(5, 7));
    }

    @Test
    void streamOfABlockedPromptEndsWithContentFilter() {
        server.raw("POST", STREAM, RawResponse.sse(200,
                "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":3}}\r\n\r\n"));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r = await(provider.stream(hello, chunks::add));
        assertThat(chunks.get(0).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.usage().inputTokens()).isEqualTo(3);
    }

    @Test
    void embeddingsUseBatchEmbedContents() {
        server.raw("POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents", RawResponse.json(200,
                "{\"embeddings\":[{\"values\":[0.1,-0.2,0.3]},{\"values\":[0.4,0.5,-0.6]}]}"));
        EmbeddingResponse r = await(provider.embed(new EmbeddingRequest("gemini-embedding-001", List.of("one", "two"), 3)));

        assertThat(r.vectors()).hasSize(2);
        assertThat(r.vectors().get(1)).containsExactly(0.4f, 0.5f, -0.6f);
        assertThat(r.model()).isEqualTo("gemini-embedding-001");
        RecordedRequest sent = server.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.header("x-goog-api-key")).isEqualTo(GeminiTestSupport.KEY);
        JsonNode body = sent.json();
        assertThat(body.at("/requests")).hasSize(2);
        assertThat(body.at("/requests/0/model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(body.at("/requests/1/content/parts/0/text").asText()).isEqualTo("two");
        assertThat(body.at("/requests/0/outputDimensionality").asInt()).isEqualTo(3);
    }
}
