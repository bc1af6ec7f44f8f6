package dev.switchboard.runtime.providers.cohere;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.closedPort;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.failure;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.runtime.providers.support.ProviderTestSupport.RecordingSink;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolChoice;
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

class CohereErrorTest {
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
        return new CohereProviderFactory().create(ProviderConfig.builder("cohere", "cohere")
                .baseUrl(baseUrl).apiKey(Secret.of("co-test-key")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("command-a-03-2025").message(ChatMessage.user("Hi")).build();
    }

    private ProviderException answer(RawResponse response) {
        server.enqueue(response);
        return failure(provider.chat(ask()));
    }

    @Test
    void rateLimitIsRetryableWithRetryAfterWhenSent() {
        ProviderException e = answer(RawResponse.json(429, fixture("cohere/error-429.json")).header("Retry-After", "12"));
        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("Trial key").contains("6a1c2b3d-8e4f-4a5b-9c7d-0e1f2a3b4c5d");
        e = answer(RawResponse.json(429, fixture("cohere/error-429.json")));
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void clientErrorsAreNotRetryable() {
        ProviderException bad = answer(RawResponse.json(400, fixture("cohere/error-400.json")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.retryable()).isFalse();
        assertThat(bad.getMessage()).contains("temperature must be between 0 and 1.0");
        ProviderException auth = answer(RawResponse.json(401, fixture("cohere/error-401.json")));
        assertThat(auth.statusCode()).isEqualTo(401);
        assertThat(auth.retryable()).isFalse();
        assertThat(auth.getMessage()).contains("invalid api token").doesNotContain("co-test-key");
        ProviderException missing = answer(RawResponse.json(404, fixture("cohere/error-404-model.json")));
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.getMessage()).contains("model 'command-x' not found");
        assertThat(answer(RawResponse.json(402, "{\"message\":\"billing limit\"}")).retryable()).isFalse();
        assertThat(answer(RawResponse.json(498, "{\"message\":\"blocked\"}")).retryable()).isFalse();
    }

    @Test
    void cancelledAndServerErrorsAreRetryable() {
        assertThat(answer(RawResponse.json(499, "{\"message\":\"request cancelled\"}")).retryable()).isTrue();
        ProviderException e = answer(RawResponse.json(500, "{\"message\":\"internal server error\"}"));
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
        assertThat(answer(RawResponse.text(503, "text/html", "<html>unavailable</html>")).getMessage()).contains("unavailable");
    }

    @Test
    void malformedSuccessBodyAndRefusedConnection() {
        assertThat(answer(RawResponse.json(200, "{\"id\":\"x\",\"message\":")).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(answer(RawResponse.json(200, "[]")).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        ProviderException refused = failure(create("http://127.0.0.1:" + closedPort()).chat(ask()));
        assertThat(refused.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(refused.retryable()).isTrue();
    }

    @Test
    void requestsCohereCannotServeAreRefusedBeforeAnyNetworkIo() {
        ToolDefinition tool = new ToolDefinition("f", null, null, false);
        List<UnaryOperator<ChatRequest.Builder>> refused = List.of(
                b -> b.n(3),
                b -> b.temperature(1.2),
                b -> b.parameter("logprobs", true),
                b -> b.parameter("top_logprobs", 2),
                b -> b.parameter("logit_bias", java.util.Map.of("50256", -100)),
                b -> b.tool(tool).toolChoice(ToolChoice.function("f")),
                b -> b.tool(tool).parameter("parallel_tool_calls", false),
                b -> b.tool(tool).responseFormat(ResponseFormat.jsonSchema("s", JsonNodeFactory.instance.objectNode())));
        for (UnaryOperator<ChatRequest.Builder> change : refused) {
            ChatRequest request = change.apply(ask().toBuilder()).build();
            assertThat(failure(provider.chat(request)).kind()).as(request.toString()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(failure(provider.stream(request, new RecordingSink())).kind()).isEqualTo(Kind.UNSUPPORTED);
        }
        assertThat(server.requestCount()).isZero();
        assertThat(provider.capabilities().multipleChoices()).isFalse();
        assertThat(provider.capabilities().seed()).isTrue();
    }

    @Test
    void factoryValidatesTheEntryAndIsRegistered() {
        assertThatThrownBy(() -> new CohereProviderFactory().create(ProviderConfig.builder("c", "cohere").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("api_key"));
        assertThatThrownBy(() -> new CohereProviderFactory().create(ProviderConfig.builder("c", "cohere")
                .apiKey(Secret.of("k")).baseUrl("not a url").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("base_url"));
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(CohereProviderFactory.class);
        assertThat(new CohereProviderFactory().type()).isEqualTo("cohere");
        assertThat(provider.toString()).contains("/v2/chat").doesNotContain("co-test-key");
    }
}
