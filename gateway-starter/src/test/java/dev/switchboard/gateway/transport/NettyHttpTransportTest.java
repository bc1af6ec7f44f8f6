package dev.switchboard.gateway.transport;

import static dev.switchboard.gateway.transport.TransportFixture.chat;
import static dev.switchboard.gateway.transport.TransportFixture.failure;
import static dev.switchboard.gateway.transport.TransportFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.Reply;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain answers, streams, keep-alive reuse and threads, against the testkit's fake server. */
class NettyHttpTransportTest {
    private static final String SSE = "data: {\"n\":1}\n\nevent: custom\ndata: {\"n\":2}\nid: 7\n\ndata: line a\ndata: line b\n\ndata: [DONE]\n\n";
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2);
    private FakeLlmServer fake;
    private NettyHttpTransport transport;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        transport = NettyHttpTransport.builder(LOOPS.group()).build();
    }

    @AfterEach
    void stop() {
        transport.close();
        fake.close();
    }

    private URI chatUri() {
        return fake.url("/v1/chat/completions");
    }

    @Test
    void aPlainAnswerIsReadWhole() throws Exception {
        fake.enqueue(Reply.text("hello world").header("X-Extra", "1"));
        HttpResult r = get(transport.send(chat(chatUri(), false)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("\"content\":\"hello world\"");
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers()).containsKey("x-extra");
        assertThat(fake.takeRequest(Duration.ofSeconds(1)).json().path("messages").get(0).path("content").asText()).isEqualTo("hi there");
    }

    @Test
    void anErrorAnswerIsReadWholeWithItsBody() throws Exception {
        fake.enqueue(Reply.status(429).retryAfterSeconds(3).errorMessage("slow down"));
        HttpResult r = get(transport.send(chat(chatUri(), false)));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.bodyText()).contains("slow down");
        assertThat(r.header("retry-after")).contains("3");
    }

    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        for (int i = 0; i < 10; i++) {
            fake.enqueue(Reply.text("n" + i));
            assertThat(get(i % 2 == 0 ? transport.send(chat(chatUri(), false))
                    : transport.stream(chat(chatUri(), true), e -> { })).status()).isEqualTo(200);
        }
        assertThat(fake.totalConnections()).isEqualTo(1);
    }

    @Test
    void streamEventsArriveInOrderThenTheFutureCompletes() throws Exception {
        fake.raw("POST", "/sse", RawResponse.sse(200, SSE).eventDelay(Duration.ofMillis(20)));
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        HttpResult r = get(transport.stream(chat(fake.url("/sse"), true), events::add));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(events).containsExactly(new SseEvent("message", "{\"n\":1}", null), new SseEvent("custom", "{\"n\":2}", "7"),
                new SseEvent("message", "line a\nline b", "7"), new SseEvent("message", "[DONE]", "7")); // the last id stays
    }

    @Test
    void aStreamedChatFromTheFakeServer() throws Exception {
        fake.enqueue(Reply.chunks("Hel", "lo", "!").chunkDelay(Duration.ofMillis(5)));
        StringBuilder text = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        get(transport.stream(chat(chatUri(), true), e -> {
            if (!e.data().equals("[DONE]")) {
                try {
                    text.append(json.readTree(e.data()).path("choices").path(0).path("delta").path("content").asText(""));
                } catch (IOException x) {
                    throw new AssertionError(x);
                }
            }
        }));
        assertThat(text.toString()).isEqualTo("Hello!");
    }

    @Test
    void aStreamRequestAnsweredWithAnErrorIsReadWholeWithoutEvents() throws Exception {
        fake.enqueue(Reply.status(503).errorMessage("overloaded"));
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        HttpResult r = get(transport.stream(chat(chatUri(), true), events::add));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).contains("overloaded");
        assertThat(events).isEmpty();
    }

    @Test
    void aCallStartedOnAnEventLoopCompletesOnThatSameThread() throws Exception {
        EventLoop loop = LOOPS.group().next();
        CompletableFuture<Thread> completedOn = new CompletableFuture<>();
        CompletableFuture<Thread> eventsOn = new CompletableFuture<>();
        fake.enqueue(Reply.text("x"), Reply.text("y"));
        loop.execute(() -> transport.send(chat(chatUri(), false)).whenComplete((r, e) -> completedOn.complete(Thread.currentThread())));
        Thread loopThread = loop.submit(Thread::currentThread).get();
        assertThat(completedOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread);
        loop.execute(() -> transport.stream(chat(chatUri(), true), e -> eventsOn.complete(Thread.currentThread())));
        assertThat(eventsOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread);
    }

    @Test
    void aConnectTimeoutViewSharesTheTransport() throws Exception {
        fake.enqueue(Reply.text("a"), Reply.text("b"));
        assertThat(get(transport.withConnectTimeout(Duration.ofSeconds(2)).send(chat(chatUri(), false))).status()).isEqualTo(200);
        assertThat(get(transport.withConnectTimeout(Duration.ofSeconds(2)).send(chat(chatUri(), false))).status()).isEqualTo(200);
        assertThat(fake.totalConnections()).isEqualTo(1);
    }

    @Test
    void aGetRequestAndAQueryString() throws Exception {
        fake.raw("GET", "/v1/models", RawResponse.json(200, "{\"data\":[]}"));
        HttpResult r = get(transport.send(HttpCall.get(URI.create(fake.rootUrl() + "/v1/models?limit=2")).build()));
        assertThat(r.bodyText()).isEqualTo("{\"data\":[]}");
    }

    @Test
    void anUnsupportedSchemeFailsAtOnce() throws Exception {
        assertThat(failure(transport.send(HttpCall.get(URI.create("ftp://127.0.0.1/x")).build())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterCloseRequestsFailAndIdleConnectionsClose() throws Exception {
        fake.enqueue(Reply.text("a"));
        get(transport.send(chat(chatUri(), false)));
        transport.close();
        assertThat(fake.awaitOpenConnectionsAtMost(0, Duration.ofSeconds(5))).isTrue();
        assertThat(failure(transport.send(chat(chatUri(), false)))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void anIdleConnectionClosesAfterTheIdleTimeout() throws Exception {
        try (NettyHttpTransport quick = NettyHttpTransport.builder(LOOPS.group()).idleTimeout(Duration.ofMillis(200)).build()) {
            fake.enqueue(Reply.text("a"), Reply.text("b"));
            get(quick.send(chat(chatUri(), false)));
            assertThat(fake.awaitOpenConnectionsAtMost(0, Duration.ofSeconds(5))).isTrue();
            get(quick.send(chat(chatUri(), false)));
            assertThat(fake.totalConnections()).isEqualTo(2);
        }
    }
}
