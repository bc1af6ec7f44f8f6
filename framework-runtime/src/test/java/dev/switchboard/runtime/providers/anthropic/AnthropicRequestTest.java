package dev.switchboard.runtime.providers.anthropic;

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

class AnthropicRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ChatProvider provider(Map<String, Object> options) {
        return new AnthropicProviderFactory().create(ProviderConfig.builder("claude", "anthropic")
                .baseUrl(server.rootUrl() + "/").apiKey(Secret.of("sk-ant-test")).options(options)
                .requestTimeout(Duration.ofSeconds(5)).build());
    }

    private RecordedRequest send(ChatProvider provider, ChatRequest request) {
        server.enqueue(RawResponse.json(200, fixture("anthropic/message.json")));
        await(provider.chat(request));
        return server.takeRequest(Duration.ofSeconds(1));
    }

    @Test
    void plainChatSendsHeadersSystemAndDefaultMaxTokens() {
        RecordedRequest r = send(provider(Map.of()), ChatRequest.builder("claude-sonnet-4-5")
                .message(ChatMessage.system("Be brief."))
                .message(ChatMessage.user("Hi"))
                .message(ChatMessage.system("Answer in English."))
                .temperature(0.5).topP(0.9).stop(List.of("END")).build());

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/messages");
        assertThat(r.query()).isNull();
        assertThat(r.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.header("anthropic-beta")).isNull();
        assertThat(r.header("authorization")).isNull();
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("system").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/messages/0/content").asText()).isEqualTo("Hi");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void optionsSetVersionBetaAndDefaultMaxTokensAndAnExplicitMaxTokensWins() {
        ChatProvider p = provider(Map.of("anthropic_version", "2024-01-01", "anthropic_beta", "prompt-caching-2024-07-31",
                "default_max_tokens", 256));
        RecordedRequest r = send(p, ChatRequest.builder("m").message(ChatMessage.user("Hi")).build());
        assertThat(r.header("anthropic-version")).isEqualTo("2024-01-01");
        assertThat(r.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(r.json().path("max_tokens").asInt()).isEqualTo(256);

        r = send(p, ChatRequest.builder("m").message(ChatMessage.user("Hi")).maxTokens(77).build());
        assertThat(r.json().path("max_tokens").asInt()).isEqualTo(77);
    }

    @Test
    void toolCallsBecomeToolUseAndConsecutiveToolResultsShareOneUserMessage() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}");
        ChatRequest request = ChatRequest.builder("m")
                .message(ChatMessage.user("Weather in Paris and Rome?"))
                .message(ChatMessage.assistantToolCalls("Checking both.", List.of(
                        new ToolCall("toolu_1", "get_weather", "{\"location\":\"Paris\"}"),
                        new ToolCall("toolu_2", "get_weather", "{\"location\":\"Rome\"}"))))
                .message(ChatMessage.toolResult("toolu_1", "18C"))
                .message(ChatMessage.toolResult("toolu_2", "24C"))
                .message(ChatMessage.user("Thanks"))
                .tool(new ToolDefinition("get_weather", "Current weather", schema, false))
                .tool(new ToolDefinition("no_args", null, null, false))
                .toolChoice(ToolChoice.of(ToolChoice.Mode.REQUIRED))
                .build();
        JsonNode body = send(provider(Map.of()), request).json();

        JsonNode messages = body.path("messages");
        assertThat(messages).hasSize(4);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.at("/content/0").toString()).isEqualTo("{\"type\":\"text\",\"text\":\"Checking both.\"}");
        assertThat(assistant.at("/content/1").toString())
                .isEqualTo("{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}");
        assertThat(assistant.at("/content/2/input/location").asText()).isEqualTo("Rome");
        JsonNode results = messages.get(2);
        assertThat(results.path("role").asText()).isEqualTo("user");
        assertThat(results.path("content")).hasSize(2);
        assertThat(results.at("/content/0").toString())
                .isEqualTo("{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"18C\"}");
        assertThat(results.at("/content/1/tool_use_id").asText()).isEqualTo("toolu_2");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("Thanks");

        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/description").asText()).isEqualTo("Current weather");
        assertThat(body.at("/tools/0/input_schema")).isEqualTo(schema);
        assertThat(body.at("/tools/1/input_schema/type").asText()).isEqualTo("object");
        assertThat(body.at("/tools/1").has("description")).isFalse();
        assertThat(body.path("tool_choice").toString()).isEqualTo("{\"type\":\"any\"}");
    }

    @Test
    void toolChoiceModesAndParallelToolCalls() {
        AnthropicRequestWriter writer = new AnthropicRequestWriter("claude", 4096);
        ChatRequest.Builder b = ChatRequest.builder("m").message(ChatMessage.user("x"))
                .tool(new ToolDefinition("f", null, null, false));
        assertThat(writer.write(b.toolChoice(ToolChoice.of(ToolChoice.Mode.AUTO)).build(), false).body()
                .path("tool_choice").toString()).isEqualTo("{\"type\":\"auto\"}");
        assertThat(writer.write(b.toolChoice(ToolChoice.of(ToolChoice.Mode.NONE)).build(), false).body()
                .path("tool_choice").toString()).isEqualTo("{\"type\":\"none\"}");
        assertThat(writer.write(b.toolChoice(ToolChoice.function("f")).build(), false).body()
                .path("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"f\"}");
        assertThat(writer.write(b.toolChoice(null).parameter("parallel_tool_calls", false).build(), false).body()
                .path("tool_choice").toString()).isEqualTo("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
        assertThat(writer.write(ChatRequest.builder("m").message(ChatMessage.user("x"))
                .toolChoice(ToolChoice.of(ToolChoice.Mode.REQUIRED)).build(), false).body().has("tool_choice"))
                .as("no tools, no tool_choice").isFalse();
    }

    @Test
    void imagesFromDataUrlsAndHttpsUrls() {
        ChatMessage user = new ChatMessage(Role.USER, List.of(ContentPart.text("What is this?"),
                ContentPart.image("data:image/png;base64,iVBORw0KGgo="), ContentPart.image("https://example.com/cat.jpg")),
                List.of(), null, null);
        JsonNode content = new AnthropicRequestWriter("claude", 4096)
                .write(ChatRequest.builder("m").message(user).build(), false).body().at("/messages/0/content");
        assertThat(content.get(0).toString()).isEqualTo("{\"type\":\"text\",\"text\":\"What is this?\"}");
        assertThat(content.get(1).toString()).isEqualTo(
                "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}");
        assertThat(content.get(2).toString()).isEqualTo(
                "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}");
    }

    @Test
    void extraParametersArePassedMappedOrDropped() {
        JsonNode body = new AnthropicRequestWriter("claude", 4096).write(ChatRequest.builder("m")
                .message(ChatMessage.user("x"))
                .parameters(Map.of("top_k", 40, "user", "user-42", "store", true, "stream_options", Map.of("include_usage", true),
                        "logprobs", false))
                .build(), false).body();
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.at("/metadata/user_id").asText()).isEqualTo("user-42");
        assertThat(body.has("store")).isFalse();
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.has("user")).isFalse();
        assertThat(body.has("logprobs")).isFalse();
    }
}
