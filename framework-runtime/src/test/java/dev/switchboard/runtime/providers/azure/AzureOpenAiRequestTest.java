package dev.switchboard.runtime.providers.azure;

import static dev.switchboard.runtime.providers.azure.AzureTestSupport.CHAT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.DEPLOYMENT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.EMBEDDINGS;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.KEY;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.await;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.failure;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolDefinition;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Azure OpenAI provider sends: deployment URL, api-version, auth, body; and its configuration. */
class AzureOpenAiRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeLlmServer server;
    private final ChatRequest hello = ChatRequest.builder(DEPLOYMENT).message(ChatMessage.system("Talk like a pirate."))
            .message(ChatMessage.user("How do I care for a parrot?")).parameter("max_tokens", 100).build();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        server.raw("POST", CHAT, RawResponse.json(200, fixture("chat-completion.json")));
        server.raw("POST", "/openai/v1/chat/completions", RawResponse.json(200, fixture("chat-completion.json")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ChatProvider provider(Map<String, ?> options) {
        return AzureTestSupport.provider(server.rootUrl(), options);
    }

    @Test
    void deploymentUrlWithApiVersionAndApiKeyHeader() {
        await(provider(Map.of()).chat(hello));
        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
        assertThat(r.path()).isEqualTo(CHAT);
        assertThat(r.query()).isEqualTo("api-version=2024-10-21");
        assertThat(r.header("api-key")).isEqualTo(KEY);
        assertThat(r.header("authorization")).isNull();
        JsonNode body = r.json();
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/messages/1/content").asText()).isEqualTo("How do I care for a parrot?");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void entraTokenV1StyleApiVersionAndMaxCompletionTokens() {
        await(provider(Map.of("auth", "entra", "api_version", "2025-04-01-preview", "max_tokens_param", "max_completion_tokens"))
                .chat(hello));
        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
        assertThat(r.query()).isEqualTo("api-version=2025-04-01-preview");
        assertThat(r.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(r.header("api-key")).isNull();
        assertThat(r.json().path("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(r.json().has("max_tokens")).isFalse();

        await(provider(Map.of("api_style", "v1")).chat(hello));
        RecordedRequest v1 = server.takeRequest(Duration.ofSeconds(1));
        assertThat(v1.path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(v1.query()).isNull();
        assertThat(v1.json().path("model").asText()).isEqualTo(DEPLOYMENT);
    }

    @Test
    void streamsAskForUsageUnlessTurnedOff() {
        server.raw("POST", CHAT, RawResponse.sse(200, fixture("chat-stream.sse")));
        await(provider(Map.of()).stream(hello, c -> { }));
        JsonNode body = server.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();

        await(provider(Map.of("stream_usage", false)).stream(hello, c -> { }));
        assertThat(server.takeRequest(Duration.ofSeconds(1)).json().has("stream_options")).isFalse();
    }

    @Test
    void toolsAndStructuredOutputTravelInTheOpenAiShape() throws Exception {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"unit\":{\"type\":\"string\"}}}");
        ChatRequest request = ChatRequest.builder(DEPLOYMENT).message(ChatMessage.user("Weather in Boston?"))
                .message(ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"))))
                .message(ChatMessage.toolResult("call_1", "{\"temp\":71}"))
                .tool(new ToolDefinition("get_current_weather", "Weather", schema, false))
                .responseFormat(ResponseFormat.jsonSchema("weather", schema)).build();
        await(provider(Map.of()).chat(request));
        JsonNode body = server.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_current_weather");
        assertThat(body.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(body.at("/messages/2/tool_call_id").asText()).isEqualTo("call_1");
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(schema);
    }

    @Test
    void embeddingsGoToTheDeployment() {
        server.raw("POST", EMBEDDINGS, RawResponse.json(200, "{\"object\":\"list\",\"model\":\"text-embedding-3-small\","
                + "\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]}],\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}"));
        EmbeddingResponse r = await(provider(Map.of()).embed(new EmbeddingRequest(DEPLOYMENT, List.of("hi"), 2)));
        assertThat(r.vectors().get(0)).containsExactly(0.5f, -0.25f);
        assertThat(r.usage().inputTokens()).isEqualTo(2);
        RecordedRequest sent = server.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.path()).isEqualTo(EMBEDDINGS);
        assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
        assertThat(sent.header("api-key")).isEqualTo(KEY);
        assertThat(sent.json().path("dimensions").asInt()).isEqualTo(2);
    }

    @Test
    void invalidDeploymentNamesAreRefusedBeforeAnyRequest() {
        ChatProvider p = provider(Map.of());
        ChatRequest bad = ChatRequest.builder("gpt-4o/../../admin").message(ChatMessage.user("x")).build();
        assertThat(failure(p.chat(bad)).kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(failure(p.stream(bad, c -> { })).kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(failure(p.embed(new EmbeddingRequest("a b", List.of("x"), null))).kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void configurationIsValidatedAndTheFactoryIsRegistered() {
        ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("azure-openai")).findFirst().orElseThrow();
        assertThat(factory).isInstanceOf(AzureOpenAiProviderFactory.class);
        String url = "https://myres.openai.azure.com";
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").apiKey(Secret.of("k")), "base_url");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url + "/openai/v1/").apiKey(Secret.of("k")), "base_url");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url), "api_key");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url).apiKey(Secret.of("k")).option("auth", "oauth"), "auth");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url).apiKey(Secret.of("k")).option("api_style", "v2"), "api_style");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url).apiKey(Secret.of("k")).option("api_version", "x&y=1"), "api_version");
        assertInvalid(factory, ProviderConfig.builder("a", "azure-openai").baseUrl(url).apiKey(Secret.of("k")).option("stream_usage", "maybe"), "stream_usage");
        ChatProvider ok = factory.create(ProviderConfig.builder("a", "azure-openai").baseUrl(url + "/").apiKey(Secret.of("secret-k")).build());
        assertThat(ok.toString()).contains(url).doesNotContain("secret-k");
    }

    private static void assertInvalid(ProviderFactory factory, ProviderConfig.Builder config, String key) {
        assertThatThrownBy(() -> factory.create(config.build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo(key));
    }
}
