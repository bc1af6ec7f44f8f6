package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.OpenAiProviderTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderFailureTest {
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = provider(server.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatProvider provider(String baseUrl, Duration timeout) {
        return new OpenAiFamilyFactory.OpenAi().create(ProviderConfig.builder("oai", "openai").baseUrl(baseUrl)
                .apiKey(Secret.of("sk-test")).requestTimeout(timeout).build());
    }

    /** The ProviderException a future failed with. */
    static ProviderException failure(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(ProviderException.class);
        return (ProviderException) t.getCause();
    }

    @Test
    void rateLimitWithRetryAfterSeconds() {
        server.enqueue(RawResponse.json(429, Fixtures.text("error-429.json")).header("Retry-After", "7"));

        ProviderException e = failure(provider.chat(hello()));

        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.provider()).isEqualTo("oai");
        assertThat(e.getMessage()).doesNotContain("sk-test");
    }

    @Test
    void rateLimitWithRetryAfterDate() {
        String date = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        server.enqueue(RawResponse.json(429, Fixtures.text("error-429.json")).header("Retry-After", date));

        ProviderException e = failure(provider.stream(hello(), c -> { }));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(31)));
    }

    @Test
    void badRequestIsNotRetryableAndKeepsItsCode() {
        server.enqueue(RawResponse.json(400, Fixtures.text("error-400.json")));

        ProviderException e = failure(provider.chat(hello()));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("unsupported_parameter");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void unauthorized() {
        server.enqueue(RawResponse.json(401, Fixtures.text("error-401.json")));

        ProviderException e = failure(provider.chat(hello()));

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.errorCode()).isEqualTo("invalid_api_key");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void serverErrorIsRetryable() {
        server.enqueue(Reply.status(500));

        ProviderException e = failure(provider.chat(hello()));

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void connectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ProviderException e = failure(provider("http://127.0.0.1:" + closedPort + "/v1", Duration.ofSeconds(5)).chat(hello()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void malformedJsonWith200IsRetryable() {
        server.enqueue(RawResponse.json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\""), Fault.malformedJson(),
                RawResponse.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}"));

        for (int i = 0; i < 3; i++) {
            ProviderException e = failure(provider.chat(hello()));
            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.retryable()).isTrue();
        }
    }

    @Test
    void streamEndingWithoutDoneIsInterrupted() {
        String cut = Fixtures.text("chat-stream.sse").replace("data: [DONE]\n", "");
        server.enqueue(RawResponse.sse(200, cut));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        ProviderException e = failure(provider.stream(hello(), chunks::add));

        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(chunks).hasSize(11);
    }

    @Test
    void connectionCutMidStreamIsInterrupted() {
        server.enqueue(Fault.streamCutAfter(2));

        ProviderException e = failure(provider.stream(hello(), c -> { }));

        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
    }

    @Test
    void idleStreamHitsTheTimeout() {
        ChatProvider impatient = provider(server.baseUrl(), Duration.ofMillis(300));
        server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream.sse")).eventDelay(Duration.ofSeconds(4)));
        long start = System.nanoTime();

        ProviderException e = failure(impatient.stream(hello(), c -> { }));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void errorObjectInsideTheStream() {
        String first = Fixtures.text("chat-stream.sse").lines().skip(2).findFirst().orElseThrow();
        server.enqueue(RawResponse.sse(200, first + "\n\ndata: {\"error\":{\"message\":\"The server is overloaded\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        ProviderException e = failure(provider.stream(hello(), chunks::add));

        assertThat(e.getMessage()).contains("The server is overloaded");
        assertThat(e.errorCode()).isEqualTo("server_error");
        assertThat(e.retryable()).isTrue();
        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Hello");
    }

    @Test
    void chunkThatIsNotJsonIsMalformed() {
        server.enqueue(RawResponse.sse(200, "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"\n\ndata: [DONE]\n\n"));

        ProviderException e = failure(provider.stream(hello(), c -> { }));

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }

    @Test
    void cancellingAStreamClosesTheConnection() throws Exception {
        server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream.sse")).eventDelay(Duration.ofMillis(300)));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> f = provider.stream(hello(), chunks::add);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (chunks.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(chunks).isNotEmpty();

        assertThat(f.cancel(true)).isTrue();

        assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).as("server saw the client abort").isTrue();
        int seen = chunks.size();
        Thread.sleep(700);
        assertThat(chunks).hasSize(seen);
    }

    @Test
    void cancellingAPlainCallClosesTheConnection() throws Exception {
        server.enqueue(Fault.stall());
        CompletableFuture<ChatResponse> f = provider.chat(hello());
        assertThat(server.takeRequest(Duration.ofSeconds(5))).isNotNull();

        f.cancel(true);

        assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).as("server saw the client abort").isTrue();
    }

    @Test
    void aFailingSinkStopsTheStream() {
        server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream.sse")).eventDelay(Duration.ofMillis(50)));
        IllegalStateException boom = new IllegalStateException("sink is full");

        ProviderException e = failure(provider.stream(hello(), c -> {
            throw boom;
        }));

        assertThat(e.getCause()).isSameAs(boom);
        assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void neverThrowsSynchronously() {
        HttpTransport broken = new HttpTransport() {
            @Override
            public CompletableFuture<dev.switchboard.spi.http.HttpResult> send(dev.switchboard.spi.http.HttpCall call) {
                throw new IllegalStateException("transport is closed");
            }

            @Override
            public CompletableFuture<dev.switchboard.spi.http.HttpResult> stream(dev.switchboard.spi.http.HttpCall call,
                                                                              dev.switchboard.spi.http.SseListener l) {
                throw new IllegalStateException("transport is closed");
            }
        };
        ChatProvider p = new OpenAiFamilyFactory.OpenAi().create(ProviderConfig.builder("oai", "openai")
                .apiKey(Secret.of("k")).transport(broken).build());

        assertThat(failure(p.chat(hello())).getMessage()).contains("transport is closed");
        assertThat(failure(p.stream(hello(), c -> { })).getMessage()).contains("transport is closed");
    }
}
