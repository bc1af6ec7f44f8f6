package dev.switchboard.runtime.providers.anthropic;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.closedPort;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.failure;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.runtime.providers.support.ProviderTestSupport.RecordingSink;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolDefinition;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicErrorTest {
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = create(server.rootUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatProvider create(String baseUrl) {
        return new AnthropicProviderFactory().create(ProviderConfig.builder("claude", "anthropic")
                .baseUrl(baseUrl).apiKey(Secret.of("sk-ant-test")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    private static ChatRequest hi() {
        return ChatRequest.builder("claude-sonnet-4-5").message(ChatMessage.user("Hi")).build();
    }

    private ProviderException answer(RawResponse response) {
        server.enqueue(response);
        return failure(provider.chat(hi()));
    }

    @Test
    void rateLimitIsRetryableWithRetryAfter() {
        ProviderException e = answer(RawResponse.json(429, fixture("anthropic/error-429.json")).header("retry-after", "7"));
        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_error");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.provider()).isEqualTo("claude");
        assertThat(e.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(e.getMessage()).contains("exceed the rate limit").contains("req_011CSHoEeqs5C35K2UUqR7Fy");
    }

    @Test
    void retryAfterMsWins() {
        ProviderException e = answer(RawResponse.json(429, fixture("anthropic/error-429.json"))
                .header("retry-after-ms", "1500").header("retry-after", "9"));
        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void badRequestIsNotRetryableAndKeepsTheErrorType() {
        ProviderException e = answer(RawResponse.json(400, fixture("anthropic/error-400.json")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("invalid_request_error");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("max_tokens: Field required");
    }

    @Test
    void authenticationFailureIsNotRetryableAndDoesNotLeakTheKey() {
        ProviderException e = answer(RawResponse.json(401, fixture("anthropic/error-401.json")));
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.errorCode()).isEqualTo("authentication_error");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).doesNotContain("sk-ant-test");
    }

    @Test
    void overloadIsRetryable() {
        ProviderException e = answer(RawResponse.json(529, fixture("anthropic/error-529-overloaded.json")));
        assertThat(e.statusCode()).isEqualTo(529);
        assertThat(e.errorCode()).isEqualTo("overloaded_error");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void serverErrorWithoutJsonBodyIsRetryableAndQuotesTheBody() {
        ProviderException e = answer(RawResponse.text(500, "text/plain", "upstream connect error"));
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.errorCode()).isNull();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("upstream connect error");
    }

    @Test
    void shouldRetryHeaderOverridesTheStatus() {
        ProviderException e = answer(RawResponse.json(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}")
                .header("x-should-retry", "false"));
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void malformedSuccessBodyIsReported() {
        ProviderException e = answer(RawResponse.json(200, "{\"id\":\"msg_1\",\"content\":[{\"type\":\"te"));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        e = answer(RawResponse.json(200, "{\"id\":\"msg_1\"}"));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("content");
    }

    @Test
    void connectionRefusedIsAConnectionFailure() {
        ProviderException e = failure(create("http://127.0.0.1:" + closedPort()).chat(hi()));
        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
        e = failure(create("http://127.0.0.1:" + closedPort()).stream(hi(), new RecordingSink()));
        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    }

    @Test
    void requestsAnthropicCannotServeAreRefusedBeforeAnyNetworkIo() {
        List<UnaryOperator<ChatRequest.Builder>> refused = List.of(
                b -> b.n(2),
                b -> b.seed(42L),
                b -> b.temperature(1.5),
                b -> b.parameter("logprobs", true),
                b -> b.parameter("top_logprobs", 5),
                b -> b.parameter("frequency_penalty", 0.5),
                b -> b.responseFormat(ResponseFormat.JSON_OBJECT).tool(new ToolDefinition("f", null, null, false)),
                b -> b.message(ChatMessage.assistantToolCalls(null, List.of(new ToolCall("t1", "f", "[1,2]")))),
                b -> b.message(new ChatMessage(Role.USER, List.of(ContentPart.image("http://example.com/a.png")), List.of(), null, null)));
        for (UnaryOperator<ChatRequest.Builder> change : refused) {
            ChatRequest request = change.apply(hi().toBuilder()).build();
            ProviderException chat = failure(provider.chat(request));
            ProviderException stream = failure(provider.stream(request, new RecordingSink()));
            assertThat(chat.kind()).as(request.toString()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(stream.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(chat.retryable()).isFalse();
        }
        assertThat(server.requestCount()).isZero();
        assertThat(provider.capabilities().multipleChoices()).isFalse();
        assertThat(provider.capabilities().seed()).isFalse();
        assertThat(provider.capabilities().jsonSchema()).isTrue();
    }

    @Test
    void factoryValidatesTheEntryAndIsRegistered() {
        assertThatThrownBy(() -> new AnthropicProviderFactory().create(ProviderConfig.builder("c", "anthropic").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("api_key"));
        assertThatThrownBy(() -> new AnthropicProviderFactory().create(ProviderConfig.builder("c", "anthropic")
                .apiKey(Secret.of("k")).option("default_max_tokens", 0).build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("default_max_tokens"));
        assertThatThrownBy(() -> new AnthropicProviderFactory().create(ProviderConfig.builder("c", "anthropic")
                .apiKey(Secret.of("k")).baseUrl("ftp://x").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("base_url"));
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(AnthropicProviderFactory.class);
        assertThat(new AnthropicProviderFactory().type()).isEqualTo("anthropic");
        assertThat(create(server.rootUrl()).toString()).doesNotContain("sk-ant-test");
    }
}
