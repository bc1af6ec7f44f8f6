package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams: failures before and after output, and clients that go away. */
class StreamingTest {
    private static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.fake.reset();
    }

    @Test
    void failureBeforeAnyOutputIsAPlainHttpError() {
        fx.fake.enqueue(Reply.status(500));
        ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("fake/gpt-4o-mini").addUserMessage("hi").build();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = fx.openai.chat().completions().createStreaming(p)) {
                s.stream().forEach(c -> { });
            }
        }).isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
    }

    @Test
    void chunksNameTheFallbackModelThatAnswered() throws Exception {
        fx.fake.enqueue(Reply.status(503), Reply.status(503), Reply.status(503), Reply.chunks("Hi ", "Ada"));
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"greet\",\"stream\":true,\"inputs\":{\"name\":\"Ada\"}}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(fx.fake.requests()).hasSize(4).last().satisfies(q -> assertThat(q.json().path("model").asText()).isEqualTo("gpt-4o"));
        List<String> chunks = Arrays.stream(r.body().split("\n\n")).filter(e -> e.startsWith("data: {")).toList();
        assertThat(chunks).isNotEmpty().allSatisfy(e -> assertThat(e).contains("\"model\":\"gpt-4o\"").doesNotContain("gpt-4o-mini"));
        assertThat(r.body()).contains("[DONE]");
    }

    @Test
    void failureAfterOutputEndsTheStreamWithAnErrorEvent() throws Exception {
        fx.fake.enqueue(Fault.streamCutAfter(2));
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"fake/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        String callId = r.headers().firstValue("x-switchboard-call-id").orElseThrow();
        assertThat(callId).startsWith("call_");
        String[] events = r.body().split("\n\n");
        assertThat(events[0]).contains("\"id\":\"chatcmpl-" + callId.substring("call_".length()) + "\"");
        assertThat(events[0]).contains("\"content\":\"w1\"");
        assertThat(events[events.length - 1]).startsWith("data: {\"error\":").contains("\"type\":\"upstream_error\"");
        assertThat(r.body()).doesNotContain("[DONE]");
    }

    @Test
    void clientDisconnectMidStreamCancelsTheUpstreamRequest() throws Exception {
        String words = IntStream.rangeClosed(1, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        fx.fake.enqueue(Reply.text(words).chunkDelay(Duration.ofMillis(50)));
        String body = "{\"model\":\"fake/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("w2")) {
                // read until the stream is flowing
            }
            assertThat(line).isNotNull();
        }
        long t0 = System.nanoTime();
        assertThat(fx.fake.awaitClientAbort(Duration.ofSeconds(1))).as("upstream aborted within a second").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void clientDisconnectDuringAPlainCallCancelsTheUpstreamRequest() throws Exception {
        fx.fake.enqueue(Fault.stall());
        String body = "{\"model\":\"fake/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            assertThat(fx.fake.takeRequest(Duration.ofSeconds(2))).as("the call reached the provider").isNotNull();
        }
        assertThat(fx.fake.awaitClientAbort(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void sdkStreamThroughADeployment() {
        fx.fake.enqueue(Reply.text("hi Ada, nice to meet you"));
        ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("greet")
                .putAdditionalBodyProperty("inputs", com.openai.core.JsonValue.from(java.util.Map.of("name", "Ada")))
                .addUserMessage("(be short)").build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = fx.openai.chat().completions().createStreaming(p)) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text).hasToString("hi Ada, nice to meet you");
        assertThat(fx.fake.takeRequest(Duration.ofSeconds(1)).json().path("messages")).hasSize(3);
    }
}
