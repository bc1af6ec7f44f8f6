package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.GENERATE;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.KEY;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.MODEL;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.STREAM;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.await;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.failure;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Gemini provider sends: URL, auth header and the GenerateContentRequest body. */
class GeminiRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        server.raw("POST", GENERATE, RawResponse.json(200, fixture("generate-content.json")));
        server.raw("POST", STREAM, RawResponse.sse(200, fixture("stream.sse")));
        provider = GeminiTestSupport.provider(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RecordedRequest sent(ChatRequest request) {
        await(provider.chat(request));
        return server.takeRequest(Duration.ofSeconds(1));
    }

    @Test
    void plainChatGoesToGenerateContentWithTheKeyInAHeaderOnly() {
        RecordedRequest r = sent(ChatRequest.builder(MODEL).message(ChatMessage.system("Be brief."))
                .message(ChatMessage.user("Capital of France?")).build());

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(GENERATE);
        assertThat(r.query()).isNull();
        assertThat(r.target()).doesNotContain(KEY);
        assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(r.header("authorization")).isNull();
        JsonNode body = r.json();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
        assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Capital of France?");
        assertThat(body.has("generationConfig")).isFalse();
        assertThat(body.has("model")).isFalse();
    }

    @Test
    void streamingUsesStreamGenerateContentWithAltSse() {
        await(provider.stream(ChatRequest.builder(MODEL).message(ChatMessage.user("Hi")).build(), c -> { }));
        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
        assertThat(r.path()).isEqualTo(STREAM);
        assertThat(r.query()).isEqualTo("alt=sse");
        assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
    }

    @Test
    void rolesImagesAndMergedTurns() {
        ChatMessage withImages = new ChatMessage(Role.USER, List.of(ContentPart.text("Compare"),
                ContentPart.image("data:image/png;base64,iVBORw0KGgo="), ContentPart.image("https://example.com/cat.jpg?x=1"),
                ContentPart.image("https://example.com/blob")), List.of(), null, null);
        RecordedRequest r = sent(ChatRequest.builder(MODEL).message(ChatMessage.system("S1")).message(ChatMessage.system("S2"))
                .message(withImages).message(ChatMessage.assistant("They differ.")).message(ChatMessage.user("How?"))
                .message(ChatMessage.user("Briefly.")).build());

        JsonNode body = r.json();
        assertThat(body.at("/systemInstruction/parts")).hasSize(2);
        assertThat(body.at("/contents")).hasSize(3);
        JsonNode parts = body.at("/contents/0/parts");
        assertThat(parts.get(1).at("/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(parts.get(1).at("/inlineData/data").asText()).isEqualTo("iVBORw0KGgo=");
        assertThat(parts.get(2).at("/fileData/fileUri").asText()).isEqualTo("https://example.com/cat.jpg?x=1");
        assertThat(parts.get(2).at("/fileData/mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(parts.get(3).at("/fileData").has("mimeType")).isFalse();
        assertThat(body.at("/contents/1/role").asText()).isEqualTo("model");
        assertThat(body.at("/contents/2/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/2/parts")).hasSize(2);
    }

    @Test
    void toolRoundTripSendsFunctionCallsResponsesAndDeclarations() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
                + "\"required\":[\"location\"],\"additionalProperties\":false}");
        ChatRequest request = ChatRequest.builder(MODEL)
                .message(ChatMessage.user("Weather and time in Tokyo?"))
                .message(ChatMessage.assistantToolCalls("Checking.", List.of(
                        new ToolCall("call_0__thought__U0lH", "get_weather", "{\"location\":\"Tokyo\"}"),
                        new ToolCall("call_1", "get_time", "{}"))))
                .message(ChatMessage.toolResult("call_0__thought__U0lH", "{\"temp\":21}"))
                .message(ChatMessage.toolResult("call_1", "09:30"))
                .tool(new ToolDefinition("get_weather", "Current weather", schema, true))
                .tool(new ToolDefinition("get_time", null, null, false))
                .toolChoice(ToolChoice.function("get_weather"))
                .build();
        JsonNode body = sent(request).json();

        JsonNode model = body.at("/contents/1");
        assertThat(model.path("role").asText()).isEqualTo("model");
        assertThat(model.at("/parts/0/text").asText()).isEqualTo("Checking.");
        assertThat(model.at("/parts/1/functionCall/name").asText()).isEqualTo("get_weather");
        assertThat(model.at("/parts/1/functionCall/args/location").asText()).isEqualTo("Tokyo");
        assertThat(model.at("/parts/1/thoughtSignature").asText()).isEqualTo("U0lH");
        assertThat(model.at("/parts/2/functionCall/args").isObject()).isTrue();
        assertThat(model.at("/parts/2").has("thoughtSignature")).isFalse();

        JsonNode results = body.at("/contents/2");
        assertThat(results.path("role").asText()).isEqualTo("user");
        assertThat(results.at("/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
        assertThat(results.at("/parts/0/functionResponse/response/temp").asInt()).isEqualTo(21);
        assertThat(results.at("/parts/1/functionResponse/name").asText()).isEqualTo("get_time");
        assertThat(results.at("/parts/1/functionResponse/response/result").asText()).isEqualTo("09:30");

        JsonNode declarations = body.at("/tools/0/functionDeclarations");
        assertThat(declarations).hasSize(2);
        assertThat(declarations.get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(declarations.get(0).path("description").asText()).isEqualTo("Current weather");
        assertThat(declarations.get(0).path("parametersJsonSchema")).isEqualTo(schema);
        assertThat(declarations.get(1).has("parametersJsonSchema")).isFalse();
        assertThat(body.at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo("ANY");
        assertThat(body.at("/toolConfig/functionCallingConfig/allowedFunctionNames/0").asText()).isEqualTo("get_weather");
    }

    @Test
    void toolChoiceModes() {
        Map<ToolChoice.Mode, String> expected = Map.of(ToolChoice.Mode.AUTO, "AUTO", ToolChoice.Mode.NONE, "NONE",
                ToolChoice.Mode.REQUIRED, "ANY");
        expected.forEach((mode, wire) -> {
            JsonNode body = sent(ChatRequest.builder(MODEL).message(ChatMessage.user("x"))
                    .tool(new ToolDefinition("f", null, null, false)).toolChoice(ToolChoice.of(mode)).build()).json();
            assertThat(body.at("/toolConfig/functionCallingConfig/mode").asText()).isEqualTo(wire);
            assertThat(body.at("/toolConfig/functionCallingConfig").has("allowedFunctionNames")).isFalse();
        });
    }

    @Test
    void generationConfigAndStructuredOutput() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        JsonNode body = sent(ChatRequest.builder(MODEL).message(ChatMessage.user("x"))
                .parameters(Map.of("temperature", 0.3, "top_p", 0.9, "max_tokens", 200, "stop", List.of("END"), "n", 2,
                        "seed", 42, "top_k", 40, "presence_penalty", 0.5, "frequency_penalty", 0.25,
                        "parallel_tool_calls", true))
                .responseFormat(ResponseFormat.jsonSchema("city", schema)).build()).json();

        JsonNode g = body.path("generationConfig");
        assertThat(g.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(g.path("topP").asDouble()).isEqualTo(0.9);
        assertThat(g.path("maxOutputTokens").asInt()).isEqualTo(200);
        assertThat(g.path("stopSequences").get(0).asText()).isEqualTo("END");
        assertThat(g.path("candidateCount").asInt()).isEqualTo(2);
        assertThat(g.path("seed").asInt()).isEqualTo(42);
        assertThat(g.path("topK").asInt()).isEqualTo(40);
        assertThat(g.path("presencePenalty").asDouble()).isEqualTo(0.5);
        assertThat(g.path("frequencyPenalty").asDouble()).isEqualTo(0.25);
        assertThat(g.path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(g.path("responseJsonSchema")).isEqualTo(schema);
        assertThat(g.has("responseSchema")).isFalse();
        assertThat(body.has("parallel_tool_calls")).isFalse();

        JsonNode jsonObject = sent(ChatRequest.builder(MODEL).message(ChatMessage.user("x"))
                .responseFormat(ResponseFormat.JSON_OBJECT).build()).json();
        assertThat(jsonObject.at("/generationConfig/responseMimeType").asText()).isEqualTo("application/json");
        assertThat(jsonObject.at("/generationConfig").has("responseJsonSchema")).isFalse();
    }

    @Test
    void qualifiedModelNamesAreKept() {
        server.raw("POST", "/v1beta/tunedModels/my-tune:generateContent", RawResponse.json(200, fixture("generate-content.json")));
        RecordedRequest r = sent(ChatRequest.builder("tunedModels/my-tune").message(ChatMessage.user("x")).build());
        assertThat(r.path()).isEqualTo("/v1beta/tunedModels/my-tune:generateContent");
    }

    @Test
    void requestsGeminiCannotTakeAreRefusedBeforeAnyRequest() {
        List<ChatRequest> refused = List.of(
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).parameter("logit_bias", Map.of("1", 2)).build(),
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).parameter("user", "u-1").build(),
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).parameter("parallel_tool_calls", false).build(),
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).parameter("top_k", "many").build(),
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).stop(List.of("a", "b", "c", "d", "e", "f")).build(),
                ChatRequest.builder(MODEL).message(ChatMessage.user("x")).message(ChatMessage.toolResult("call_9", "{}")).build(),
                ChatRequest.builder(MODEL).message(ChatMessage.assistantToolCalls(null, List.of(new ToolCall("c", "f", "[1]"))))
                        .build(),
                ChatRequest.builder(MODEL).message(new ChatMessage(Role.SYSTEM, List.of(ContentPart.image("https://x/y.png")),
                        List.of(), null, null)).message(ChatMessage.user("x")).build(),
                ChatRequest.builder("../secrets").message(ChatMessage.user("x")).build());
        for (ChatRequest r : refused) {
            ProviderException e = failure(provider.chat(r));
            assertThat(e.kind()).as(r.toString()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(e.retryable()).isFalse();
            ProviderException s = failure(provider.stream(r, c -> { }));
            assertThat(s.kind()).isEqualTo(Kind.UNSUPPORTED);
        }
        ProviderException named = failure(provider.chat(refused.get(0)));
        assertThat(named.getMessage()).contains("logit_bias");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void toolResultFindsItsNameFromTheMessageNameWhenNoCallMatches() {
        ChatMessage legacy = new ChatMessage(Role.TOOL, List.of(ContentPart.text("[1,2]")), List.of(), "call_x", "lookup");
        JsonNode body = sent(ChatRequest.builder(MODEL).message(ChatMessage.user("x")).message(legacy).build()).json();
        assertThat(body.at("/contents/0/parts/1/functionResponse/name").asText()).isEqualTo("lookup");
        assertThat(body.at("/contents/0/parts/1/functionResponse/response/result/1").asInt()).isEqualTo(2);
    }
}
