package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.OpenAiProviderFailureTest.failure;
import static dev.switchboard.runtime.providers.openai.OpenAiProviderTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseListener;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiFamilyFactoryTest {

    /** Records calls and answers none: nothing leaves the process. */
    static final class RecordingTransport implements HttpTransport {
        final List<HttpCall> calls = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<HttpResult> send(HttpCall call) {
            calls.add(call);
            return CompletableFuture.failedFuture(new IOException("recorded, not sent"));
        }

        @Override
        public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
            return send(call);
        }
    }

    private static Map<String, ProviderFactory> loadedFactories() {
        Map<String, ProviderFactory> byType = new TreeMap<>();
        Iterator<ProviderFactory> it = ServiceLoader.load(ProviderFactory.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return byType;
                }
                ProviderFactory f = it.next();
                byType.put(f.type(), f);
            } catch (ServiceConfigurationError otherPluginNotBuiltHere) {
                // another package's factory; this test is about the openai family
            }
        }
    }

    private static ProviderFactory factory(String type) {
        return loadedFactories().get(type);
    }

    @Test
    void serviceLoaderFindsEveryType() {
        Map<String, ProviderFactory> factories = loadedFactories();
        for (String type : List.of("openai", "groq", "mistral", "together", "deepseek", "openrouter", "ollama", "vllm")) {
            assertThat(factories.get(type)).as(type).isInstanceOf(OpenAiFamilyFactory.class);
            assertThat(((OpenAiFamilyFactory) factories.get(type)).preset().type()).isEqualTo(type);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "openai,     https://api.openai.com/v1,      true",
        "groq,       https://api.groq.com/openai/v1, true",
        "mistral,    https://api.mistral.ai/v1,      true",
        "together,   https://api.together.ai/v1,     true",
        "deepseek,   https://api.deepseek.com,       true",
        "openrouter, https://openrouter.ai/api/v1,   true",
        "ollama,     http://localhost:11434/v1,      false",
    })
    void defaultBaseUrlAndAuth(String type, String baseUrl, boolean keyRequired) {
        RecordingTransport transport = new RecordingTransport();
        ProviderConfig.Builder config = ProviderConfig.builder(type, type).transport(transport);
        if (keyRequired) {
            assertThatThrownBy(() -> factory(type).create(config.build()))
                    .isInstanceOf(InvalidProviderConfigException.class)
                    .satisfies(e -> assertThat(((InvalidProviderConfigException) e).key()).isEqualTo("api_key"));
            config.apiKey(Secret.of("key-1"));
        }

        factory(type).create(config.build()).chat(hello());

        HttpCall call = transport.calls.get(0);
        assertThat(call.uri()).hasToString(baseUrl + "/chat/completions");
        assertThat(call.headers().get("Authorization")).isEqualTo(keyRequired ? "Bearer key-1" : null);
    }

    @Test
    void vllmNeedsABaseUrlButNoKey() {
        assertThatThrownBy(() -> factory("vllm").create(ProviderConfig.builder("gpu", "vllm").build()))
                .isInstanceOf(InvalidProviderConfigException.class)
                .satisfies(e -> assertThat(((InvalidProviderConfigException) e).key()).isEqualTo("base_url"));
        RecordingTransport transport = new RecordingTransport();
        factory("vllm").create(ProviderConfig.builder("gpu", "vllm").baseUrl("http://gpu-1:8000/v1").transport(transport).build())
                .chat(hello());
        assertThat(transport.calls.get(0).uri()).hasToString("http://gpu-1:8000/v1/chat/completions");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"headers", "max_tokens_param", "base_url"})
    void invalidOptionsNameTheirKey(String key) {
        ProviderConfig.Builder b = ProviderConfig.builder("o", "openai").apiKey(Secret.of("k"));
        switch (key) {
            case "headers": b.option("headers", Map.of("Host", "evil")); break;
            case "max_tokens_param": b.option("max_tokens_param", "tokens"); break;
            default: b.baseUrl("ftp://example.com");
        }
        assertThatThrownBy(() -> factory("openai").create(b.build()))
                .isInstanceOf(InvalidProviderConfigException.class)
                .satisfies(e -> assertThat(((InvalidProviderConfigException) e).key()).isEqualTo(key));
    }

    static final Map<String, Function<ChatRequest.Builder, ChatRequest.Builder>> CHANGES = Map.of(
            "n2", b -> b.n(2),
            "logprobs", b -> b.parameter("logprobs", true),
            "name", b -> b.message(new ChatMessage(Role.USER, List.of(ContentPart.text("hi")), List.of(), null, "bob")),
            "schema", b -> b.responseFormat(ResponseFormat.jsonSchema("x", OpenAiCodecRequestTest.weatherSchema())),
            "image", b -> b.message(new ChatMessage(Role.USER, List.of(ContentPart.image("https://x/y.png")), List.of(), null, null)),
            "seed", b -> b.seed(1L),
            "required", b -> b.toolChoice(ToolChoice.of(ToolChoice.Mode.REQUIRED)),
            "logit_bias", b -> b.parameter("logit_bias", Map.of("1", 5)));

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource({
        "groq,       n2,         n > 1",
        "groq,       logprobs,   parameter 'logprobs'",
        "groq,       name,       messages[].name",
        "deepseek,   schema,     response_format json_schema",
        "deepseek,   image,      image content",
        "deepseek,   seed,       seed",
        "deepseek,   n2,         n > 1",
        "openrouter, n2,         n > 1",
        "ollama,     n2,         n > 1",
        "ollama,     required,   tool_choice required",
        "ollama,     logit_bias, parameter 'logit_bias'",
    })
    void unsupportedFeaturesFailBeforeAnyRequest(String type, String change, String feature) throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            ChatProvider p = factory(type).create(ProviderConfig.builder(type, type).baseUrl(server.baseUrl())
                    .apiKey(Secret.of("k")).build());
            ChatRequest request = CHANGES.get(change).apply(hello().toBuilder()).build();

            for (CompletableFuture<?> f : List.of(p.chat(request), p.stream(request, c -> { }))) {
                ProviderException e = failure(f);
                assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains(feature);
            }
            assertThat(server.requestCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"groq", "deepseek"})
    void presetsWithoutEmbeddingsRefuseThem(String type) {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            ChatProvider p = factory(type).create(ProviderConfig.builder(type, type).baseUrl(server.baseUrl())
                    .apiKey(Secret.of("k")).build());
            assertThat(p.capabilities().embeddings()).isFalse();

            ProviderException e = failure(p.embed(new EmbeddingRequest("e", List.of("x"), null)));

            assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void mistralNamesTheSeedRandomSeedAndStreamsWithoutStreamOptions() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            ChatProvider p = factory("mistral").create(ProviderConfig.builder("m", "mistral").baseUrl(server.baseUrl())
                    .apiKey(Secret.of("k")).build());
            server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream.sse")));

            p.stream(hello().toBuilder().seed(42L).build(), c -> { }).get(5, TimeUnit.SECONDS);

            JsonNode body = server.takeRequest(java.time.Duration.ofSeconds(5)).json();
            assertThat(body.path("random_seed").asLong()).isEqualTo(42);
            assertThat(body.has("seed")).isFalse();
            assertThat(body.has("stream_options")).isFalse();
            assertThat(body.path("stream").asBoolean()).isTrue();
        }
    }
}
