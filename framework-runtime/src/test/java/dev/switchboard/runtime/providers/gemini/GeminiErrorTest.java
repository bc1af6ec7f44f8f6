package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.GENERATE;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.MODEL;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.STREAM;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.failure;
import static dev.switchboard.runtime.providers.gemini.GeminiTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gemini failures: google.rpc errors, transport failures, malformed and cut answers, configuration. */
class GeminiErrorTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final ChatRequest hello = ChatRequest.builder(MODEL).message(ChatMessage.user("Hi")).build();

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
    void rateLimitIsRetryableWithTheRetryInfoDelay() {
        server.raw("POST", GENERATE, RawResponse.json(429, fixture("error-429.json")));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(26));
        assertThat(e.getMessage()).contains("You exceeded your current quota").doesNotContain(GeminiTestSupport.KEY);
    }

    @Test
    void retryAfterHeaderServesWhenThereIsNoRetryInfoAndDailyQuotasAreNotRetryable() {
        server.raw("POST", GENERATE, RawResponse.json(503,
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}")
                .header("Retry-After", "3"));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.retryable()).isTrue();
        assertThat(e.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));

        server.raw("POST", GENERATE, RawResponse.json(429, fixture("error-429.json").replace("PerModelPerMinute", "PerModelPerDay")));
        ProviderException daily = failure(provider.chat(hello));
        assertThat(daily.retryable()).isFalse();

        server.raw("POST", GENERATE, RawResponse.json(429, fixture("error-429.json").replace("\"26s\"", "\"3600.5s\"")));
        ProviderException longWait = failure(provider.chat(hello));
        assertThat(longWait.retryable()).isFalse();
        assertThat(longWait.retryAfter()).contains(Duration.ofMillis(3_600_500));
    }

    @Test
    void badRequestsAreNotRetryable() {
        server.raw("POST", GENERATE, RawResponse.json(400, fixture("error-400.json")));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Unknown name \"max_tokens\"");

        server.raw("POST", GENERATE, RawResponse.json(400, fixture("error-400-api-key-invalid.json")));
        ProviderException key = failure(provider.chat(hello));
        assertThat(key.retryable()).isFalse();
        assertThat(key.getMessage()).contains("API_KEY_INVALID");
    }

    @Test
    void serverErrorsAreRetryableEvenWithoutAJsonBody() {
        server.raw("POST", GENERATE, RawResponse.text(500, "text/html", "<html>oops</html>"));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("oops");
    }

    @Test
    void errorStatusOnAStreamAndArrayWrappedBodies() {
        server.raw("POST", STREAM, RawResponse.json(429, "[" + fixture("error-429.json") + "]"));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ProviderException e = failure(provider.stream(hello, chunks::add));
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(26));
        assertThat(chunks).isEmpty();
    }

    @Test
    void connectionRefusedOnAClosedPort() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ChatProvider closed = GeminiTestSupport.provider("http://127.0.0.1:" + port);
        ProviderException e = failure(closed.chat(hello));
        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
        assertThat(failure(closed.stream(hello, c -> { })).kind()).isEqualTo(Kind.CONNECTION);
    }

    @Test
    void malformedAnswersAreReportedAsSuch() {
        server.enqueue(Fault.malformedJson());
        assertThat(failure(provider.chat(hello)).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);

        server.raw("POST", GENERATE, RawResponse.json(200, "{\"candidates\":\"nope\"}"));
        assertThat(failure(provider.chat(hello)).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);

        server.raw("POST", GENERATE, RawResponse.json(200, "{\"usageMetadata\":{}}"));
        ProviderException empty = failure(provider.chat(hello));
        assertThat(empty.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(empty.retryable()).isTrue();

        server.raw("POST", STREAM, RawResponse.sse(200, "data: {\"candidates\": [\r\n\r\n"));
        assertThat(failure(provider.stream(hello, c -> { })).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }

    @Test
    void streamThatEndsBeforeAFinishReasonIsInterrupted() {
        String full = fixture("stream.sse");
        String withoutLast = full.substring(0, full.lastIndexOf("data:"));
        server.raw("POST", STREAM, RawResponse.sse(200, withoutLast));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ProviderException e = failure(provider.stream(hello, chunks::add));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(chunks).hasSize(2);

        server.raw("POST", STREAM, RawResponse.sse(200, full));
        server.enqueue(Fault.streamCutAfter(1));
        List<ChatChunk> beforeCut = new CopyOnWriteArrayList<>();
        ProviderException cut = failure(GeminiTestSupport.provider(server).stream(hello, beforeCut::add));
        assertThat(cut.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(beforeCut).extracting(ChatChunk::text).containsExactly("The capital of France is Paris");

        server.enqueue(RawResponse.sse(200, ""));
        assertThat(failure(GeminiTestSupport.provider(server).stream(hello, c -> { })).kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
    }

    @Test
    void cancellingTheFutureAbortsTheRequest() {
        server.enqueue(Fault.stall());
        CompletableFuture<ChatResponse> pending = provider.stream(hello, c -> { });
        assertThat(server.takeRequest(Duration.ofSeconds(2))).isNotNull();
        pending.cancel(true);
        assertThat(server.awaitClientAbort(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void errorObjectInsideAStream() {
        server.raw("POST", STREAM, RawResponse.sse(200, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"index\":0}]}\r\n\r\n"
                + "data: {\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"));
        ProviderException e = failure(provider.stream(hello, c -> { }));
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void configurationIsValidatedAndTheFactoryIsRegistered() {
        ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("gemini")).findFirst().orElseThrow();
        assertThat(factory).isInstanceOf(GeminiProviderFactory.class);

        assertThatThrownBy(() -> factory.create(ProviderConfig.builder("g", "gemini").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("api_key"));
        assertThatThrownBy(() -> factory.create(ProviderConfig.builder("g", "gemini").apiKey(Secret.of("k"))
                .option("api_version", "v1/../x").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("api_version"));
        assertThatThrownBy(() -> factory.create(ProviderConfig.builder("g", "gemini").apiKey(Secret.of("k"))
                .baseUrl("ftp://x").build()))
                .isInstanceOfSatisfying(InvalidProviderConfigException.class, e -> assertThat(e.key()).isEqualTo("base_url"));
        ChatProvider ok = factory.create(ProviderConfig.builder("g", "gemini").apiKey(Secret.of("k"))
                .option("api_version", "v1").build());
        assertThat(ok.toString()).contains("https://generativelanguage.googleapis.com/v1/").doesNotContain("k}");
    }
}
