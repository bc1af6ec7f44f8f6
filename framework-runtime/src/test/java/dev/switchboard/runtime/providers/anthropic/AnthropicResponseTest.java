package dev.switchboard.runtime.providers.anthropic;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = new AnthropicProviderFactory().create(ProviderConfig.builder("claude", "anthropic")
                .baseUrl(server.rootUrl()).apiKey(Secret.of("sk-ant-test")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatRequest hi() {
        return ChatRequest.builder("claude-sonnet-4-5").message(ChatMessage.user("Hi")).build();
    }

    @Test
    void plainChatWithCacheWriteUsage() {
        server.enqueue(RawResponse.json(200, fixture("anthropic/message.json")));
        ChatResponse r = await(provider.chat(hi()));
        assertThat(r.id()).isEqualTo("msg_01HCDu5LRGeP2o7s2xGmxyFE");
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(r.text()).isEqualTo("Hello! It's nice to meet you. How can I help you today?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.message().toolCalls()).isEmpty();
        // 21 uncached + 1860 written to the cache + 0 read from it
        assertThat(r.usage()).isEqualTo(new Usage(1881, 18, 0));
    }

    @Test
    void toolUseAnswerWithCacheReadUsage() {
        server.enqueue(RawResponse.json(200, fixture("anthropic/message-tool-use.json")));
        ChatResponse r = await(provider.chat(hi()));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.text()).isEqualTo("I'll check the current weather in San Francisco for you.");
        assertThat(r.message().toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
                "{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
        assertThat(r.usage()).isEqualTo(new Usage(380 + 2214, 84, 2214));
    }

    @Test
    void jsonSchemaIsServedByAForcedToolAndAnsweredAsText() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        server.enqueue(RawResponse.json(200, toolAnswer("city_answer", "{\"city\":\"Paris\"}", "tool_use")));
        ChatResponse r = await(provider.chat(hi().toBuilder().responseFormat(ResponseFormat.jsonSchema("city_answer", schema)).build()));

        JsonNode body = server.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(body.path("tools")).hasSize(1);
        assertThat(body.at("/tools/0/name").asText()).isEqualTo("city_answer");
        assertThat(body.at("/tools/0/input_schema")).isEqualTo(schema);
        assertThat(body.path("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"city_answer\"}");
        assertThat(body.has("response_format")).isFalse();

        assertThat(r.text()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(r.message().toolCalls()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aSchemaWithoutObjectRootIsWrappedAndUnwrapped() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"string\",\"enum\":[\"RED\",\"GREEN\"]}");
        server.enqueue(RawResponse.json(200, toolAnswer("color", "{\"value\":\"GREEN\"}", "tool_use")));
        ChatResponse r = await(provider.chat(hi().toBuilder().responseFormat(ResponseFormat.jsonSchema("color", schema)).build()));

        JsonNode inputSchema = server.takeRequest(Duration.ofSeconds(1)).json().at("/tools/0/input_schema");
        assertThat(inputSchema.path("type").asText()).isEqualTo("object");
        assertThat(inputSchema.at("/properties/value")).isEqualTo(schema);
        assertThat(inputSchema.path("required").toString()).isEqualTo("[\"value\"]");
        assertThat(r.text()).isEqualTo("\"GREEN\"");
    }

    @Test
    void jsonObjectUsesAPermissiveObjectSchema() {
        server.enqueue(RawResponse.json(200, toolAnswer("json_object", "{\"a\":[1,2]}", "max_tokens")));
        ChatResponse r = await(provider.chat(hi().toBuilder().responseFormat(ResponseFormat.JSON_OBJECT).build()));
        JsonNode body = server.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(body.at("/tools/0/input_schema").toString()).isEqualTo("{\"type\":\"object\",\"additionalProperties\":true}");
        assertThat(body.at("/tool_choice/name").asText()).isEqualTo("json_object");
        assertThat(r.text()).isEqualTo("{\"a\":[1,2]}");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void stopReasonsMapToFinishReasons() {
        assertThat(AnthropicResponseReader.finishReason("end_turn", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseReader.finishReason("stop_sequence", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseReader.finishReason("pause_turn", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseReader.finishReason("max_tokens", false)).isEqualTo(FinishReason.LENGTH);
        assertThat(AnthropicResponseReader.finishReason("model_context_window_exceeded", false)).isEqualTo(FinishReason.LENGTH);
        assertThat(AnthropicResponseReader.finishReason("tool_use", false)).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(AnthropicResponseReader.finishReason("refusal", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(AnthropicResponseReader.finishReason("something_new", false)).isEqualTo(FinishReason.OTHER);
        assertThat(AnthropicResponseReader.finishReason(null, false)).isNull();
    }

    @Test
    void thinkingBlocksAreSkipped() {
        server.enqueue(RawResponse.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"x\"},{\"type\":\"text\",\"text\":\"A\"},"
                + "{\"type\":\"text\",\"text\":\"B\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}"));
        ChatResponse r = await(provider.chat(hi()));
        assertThat(r.text()).isEqualTo("AB");
        assertThat(r.usage()).isEqualTo(new Usage(3, 2, 0));
    }

    static String toolAnswer(String name, String input, String stopReason) {
        return "{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"toolu_s\",\"name\":\"" + name + "\",\"input\":" + input + "}],"
                + "\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    }
}
