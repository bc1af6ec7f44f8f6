package dev.switchboard.runtime.providers.azure;

import static dev.switchboard.runtime.providers.azure.AzureTestSupport.CHAT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.DEPLOYMENT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.KEY;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.failure;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure OpenAI failures: its error bodies, rate limits, transport failures, malformed and cut answers. */
class AzureOpenAiErrorTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final ChatRequest hello = ChatRequest.builder(DEPLOYMENT).message(ChatMessage.user("Hi")).build();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = AzureTestSupport.provider(server.rootUrl(), Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void promptBlockedByTheContentFilterIsNotRetryable() {
        server.raw("POST", CHAT, RawResponse.json(400, fixture("error-400-content-filter.json")));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("content_filter");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("content filter").contains("content management policy");
    }

    @Test
    void rateLimitWithRetryAfterHeadersOrMessageText() {
        server.raw("POST", CHAT, RawResponse.json(429, fixture("error-429.json")).header("retry-after", "6")
                .header("retry-after-ms", "5500"));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("429");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofMillis(5500));

        server.raw("POST", CHAT, RawResponse.json(429, fixture("error-429.json")));
        assertThat(failure(provider.chat(hello)).retryAfter()).contains(Duration.ofSeconds(6));

        server.raw("POST", CHAT, RawResponse.json(429, fixture("error-429.json")).header("Retry-After", "86400"));
        ProviderException exhausted = failure(provider.chat(hello));
        assertThat(exhausted.retryable()).isFalse();
        assertThat(exhausted.retryAfter()).contains(Duration.ofDays(1));
    }

    @Test
    void missingDeploymentNamesTheDeploymentAndIsNotRetryable() {
        server.raw("POST", CHAT, RawResponse.json(404, fixture("error-404-deployment-not-found.json")));
        ProviderException e = failure(provider.chat(hello));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo("DeploymentNotFound");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("deployment '" + DEPLOYMENT + "'").contains(server.rootUrl());
    }

    @Test
    void unauthorizedAndServerErrors() {
        server.raw("POST", CHAT, RawResponse.json(401, fixture("error-401.json")));
        ProviderException denied = failure(provider.chat(hello));
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.retryable()).isFalse();
        assertThat(denied.getMessage()).contains("Access denied").doesNotContain(KEY);

        server.raw("POST", CHAT, RawResponse.text(500, "text/plain", "upstream exploded"));
        ProviderException broken = failure(provider.chat(hello));
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.retryable()).isTrue();
        assertThat(broken.getMessage()).contains("upstream exploded");

        server.raw("POST", CHAT, RawResponse.json(503, "{\"error\":{\"code\":\"503\",\"message\":\"busy\"}}"));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ProviderException streamed = failure(provider.stream(hello, chunks::add));
        assertThat(streamed.statusCode()).isEqualTo(503);
        assertThat(streamed.retryable()).isTrue();
        assertThat(chunks).isEmpty();
    }

    @Test
    void connectionRefusedOnAClosedPort() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ChatProvider closed = AzureTestSupport.provider("http://127.0.0.1:" + port, Map.of());
        ProviderException e = failure(closed.chat(hello));
        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void malformedAnswers() {
        server.enqueue(Fault.malformedJson());
        assertThat(failure(provider.chat(hello)).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);

        server.raw("POST", CHAT, RawResponse.json(200, "{\"id\":\"x\",\"choices\":[]}"));
        assertThat(failure(provider.chat(hello)).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);

        server.raw("POST", CHAT, RawResponse.sse(200, "data: {not json\n\ndata: [DONE]\n\n"));
        assertThat(failure(provider.stream(hello, c -> { })).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }

    @Test
    void streamCutBeforeDoneIsInterrupted() {
        String full = fixture("chat-stream.sse");
        server.raw("POST", CHAT, RawResponse.sse(200, full.substring(0, full.indexOf("data: [DONE]"))));
        ProviderException e = failure(provider.stream(hello, c -> { }));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();

        server.raw("POST", CHAT, RawResponse.sse(200, full));
        server.enqueue(Fault.streamCutAfter(3));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatProvider fresh = AzureTestSupport.provider(server.rootUrl(), Map.of());
        assertThat(failure(fresh.stream(hello, chunks::add)).kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Ahoy");
    }

    @Test
    void cancellingTheFutureAbortsTheRequest() {
        server.enqueue(Fault.stall());
        CompletableFuture<ChatResponse> pending = provider.chat(hello);
        assertThat(server.takeRequest(Duration.ofSeconds(2))).isNotNull();
        pending.cancel(true);
        assertThat(server.awaitClientAbort(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void errorEventInsideAStream() {
        server.raw("POST", CHAT, RawResponse.sse(200,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}],\"id\":\"c\"}\n\n"
                        + "data: {\"error\":{\"code\":\"content_filter\",\"message\":\"filtered\"}}\n\n"));
        ProviderException e = failure(provider.stream(hello, c -> { }));
        assertThat(e.errorCode()).isEqualTo("content_filter");
        assertThat(e.retryable()).isFalse();

        server.raw("POST", CHAT, RawResponse.sse(200, "data: {\"error\":{\"code\":\"500\",\"message\":\"oops\"}}\n\n"));
        ChatProvider fresh = AzureTestSupport.provider(server.rootUrl(), Map.of());
        ProviderException server500 = failure(fresh.stream(hello, c -> { }));
        assertThat(server500.statusCode()).isEqualTo(500);
        assertThat(server500.retryable()).isTrue();
    }
}
