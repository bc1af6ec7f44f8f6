package dev.switchboard.runtime.providers.cohere;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.Secret;
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

class CohereRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CohereRequestWriter writer = new CohereRequestWriter("cohere");
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = new CohereProviderFactory().create(ProviderConfig.builder("cohere", "cohere")
                .baseUrl(server.rootUrl()).apiKey(Secret.of("co-test-key")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plainChatSendsBearerAuthAndTypedParameters() {
        server.enqueue(RawResponse.json(200, fixture("cohere/chat.json")));
        await(provider.chat(ChatRequest.builder("command-a-03-2025")
                .message(ChatMessage.system("Be brief."))
                .message(ChatMessage.user("What are LLMs?"))
                .temperature(0.3).topP(0.75).maxTokens(100).stop(List.of("\n\n")).seed(7L)
                .build()));
        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v2/chat");
        assertThat(r.query()).isNull();
        assertThat(r.header("authorization")).isEqualTo("Bearer co-test-key");
        assertThat(r.header("accept")).isEqualTo("application/json");
        JsonNode body = r.json();
        assertThat(body.path("model").asText()).isEqualTo("command-a-03-2025");
        assertThat(body.path("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"What are LLMs?\"}]");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("p").asDouble()).isEqualTo(0.75);
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(body.path("stop_sequences").toString()).isEqualTo("[\"\\n\\n\"]");
        assertThat(body.path("seed").asLong()).isEqualTo(7);
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("response_format")).isFalse();
    }

    @Test
    void toolRoundTripEchoesToolPlanAndSendsToolResults() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"day\":{\"type\":\"string\"}}}");
        ChatRequest request = ChatRequest.builder("command-a")
                .message(ChatMessage.user("Sales on 2023-09-29?"))
                .message(ChatMessage.assistantToolCalls("I will query the report.",
                        List.of(new ToolCall("q_1", "query_daily_sales_report", "{\"day\":\"2023-09-29\"}"))))
                .message(ChatMessage.toolResult("q_1", "{\"total\":1200}"))
                .tool(new ToolDefinition("query_daily_sales_report", "Daily sales", schema, false))
                .toolChoice(ToolChoice.of(ToolChoice.Mode.REQUIRED))
                .build();
        JsonNode body = writer.write(request, false);

        assertThat(body.at("/messages/1").toString()).isEqualTo("{\"role\":\"assistant\",\"tool_plan\":\"I will query the report.\","
                + "\"tool_calls\":[{\"id\":\"q_1\",\"type\":\"function\",\"function\":{\"name\":\"query_daily_sales_report\","
                + "\"arguments\":\"{\\\"day\\\":\\\"2023-09-29\\\"}\"}}]}");
        assertThat(body.at("/messages/2").toString())
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"q_1\",\"content\":\"{\\\"total\\\":1200}\"}");
        assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("query_daily_sales_report");
        assertThat(body.at("/tools/0/function/description").asText()).isEqualTo("Daily sales");
        assertThat(body.at("/tools/0/function/parameters")).isEqualTo(schema);
        assertThat(body.has("strict_tools")).isFalse();
        assertThat(body.path("tool_choice").asText()).isEqualTo("REQUIRED");

        ChatRequest.Builder b = request.toBuilder();
        assertThat(writer.write(b.toolChoice(ToolChoice.of(ToolChoice.Mode.NONE)).build(), false).path("tool_choice").asText())
                .isEqualTo("NONE");
        assertThat(writer.write(b.toolChoice(ToolChoice.of(ToolChoice.Mode.AUTO)).build(), false).has("tool_choice")).isFalse();
    }

    @Test
    void strictToolsOnlyWhenEveryToolIsStrict() {
        ChatRequest.Builder b = ChatRequest.builder("m").message(ChatMessage.user("x"))
                .tool(new ToolDefinition("a", null, null, true));
        assertThat(writer.write(b.build(), false).path("strict_tools").asBoolean()).isTrue();
        assertThat(writer.write(b.tool(new ToolDefinition("b", null, null, false)).build(), false).has("strict_tools")).isFalse();
    }

    @Test
    void structuredOutputSendsTheRawSchema() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        JsonNode body = writer.write(ChatRequest.builder("m").message(ChatMessage.user("x"))
                .responseFormat(ResponseFormat.jsonSchema("city_answer", schema)).build(), false);
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(body.path("response_format").path("json_schema")).isEqualTo(schema);

        body = writer.write(ChatRequest.builder("m").message(ChatMessage.user("x")).responseFormat(ResponseFormat.JSON_OBJECT).build(), false);
        assertThat(body.path("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void imagesExtrasAndTopPClamping() {
        ChatMessage user = new ChatMessage(Role.USER, List.of(ContentPart.text("What is this?"),
                new ContentPart.Image("https://example.com/cat.jpg", "low")), List.of(), null, null);
        JsonNode body = writer.write(ChatRequest.builder("m").message(user).topP(1.0)
                .parameters(Map.of("top_k", 40, "frequency_penalty", 0.2, "user", "u-1", "store", true, "logprobs", false))
                .build(), true);
        assertThat(body.at("/messages/0/content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\",\"detail\":\"low\"}}]");
        assertThat(body.path("p").asDouble()).isEqualTo(0.99);
        assertThat(body.path("k").asInt()).isEqualTo(40);
        assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(0.2);
        assertThat(body.has("top_k")).isFalse();
        assertThat(body.has("user")).isFalse();
        assertThat(body.has("store")).isFalse();
        assertThat(body.has("logprobs")).isFalse();
        assertThat(body.path("stream").asBoolean()).isTrue();
    }
}
