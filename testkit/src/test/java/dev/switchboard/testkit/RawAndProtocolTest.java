package dev.switchboard.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RawAndProtocolTest {

    private static final String SSE_FIXTURE = "event: start\ndata: {\"n\":0}\n\n"
            + "event: delta\ndata: {\"n\":1}\n\n"
            + "event: delta\ndata: {\"n\":2}\n\n"
            + "event: end\ndata: {\"n\":3}\n\n";

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void rawJsonRouteServesFixtureWithHeadersAndScriptedErrorsStillApply() throws Exception {
        server.raw("post", "/v2/chat", RawResponse.json(201, "{\"message\":{\"content\":\"cohere-ish\"}}")
                .header("X-Vendor", "acme"));
        server.enqueue(Reply.status(503), Fault.malformedJson());

        HttpResponse<String> error = http.post(server, "/v2/chat", "{}");
        HttpResponse<String> malformed = http.post(server, "/v2/chat", "{}");
        HttpResponse<String> fixture = http.post(server, "/v2/chat?x=1", "{}");

        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(Http.json(error.body()).at("/error/type").asText()).isEqualTo("server_error");
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(fixture.statusCode()).isEqualTo(201);
        assertThat(fixture.headers().firstValue("x-vendor")).hasValue("acme");
        assertThat(fixture.body()).isEqualTo("{\"message\":{\"content\":\"cohere-ish\"}}");
        assertThat(http.send(HttpRequest.newBuilder(server.url("/v2/chat")).GET().build()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void rawSseRouteStreamsEventsWithDelay() throws Exception {
        server.raw("POST", "/v2/chat/stream", RawResponse.sse(200, SSE_FIXTURE).eventDelay(Duration.ofMillis(50)));

        Http.Stream s = http.stream(server, "/v2/chat/stream", "{}");

        assertThat(s.error()).isNull();
        assertThat(s.contentType()).isEqualTo("text/event-stream");
        assertThat(s.events()).containsExactly("start", "delta", "delta", "end");
        assertThat(String.join("\n", s.lines()) + "\n").isEqualTo(SSE_FIXTURE);
        long spreadMs = (s.nanos().get(s.nanos().size() - 1) - s.nanos().get(0)) / 1_000_000;
        assertThat(spreadMs).as("3 pauses of 50 ms, minus client-side jitter").isGreaterThanOrEqualTo(110);
    }

    @Test
    void streamCutOnRawSseRouteSendsFirstEventsOnly() throws Exception {
        server.raw("POST", "/v2/chat/stream", RawResponse.sse(200, SSE_FIXTURE));
        server.enqueue(Fault.streamCutAfter(2));

        Http.Stream s = http.stream(server, "/v2/chat/stream", "{}");

        assertThat(s.events()).containsExactly("start", "delta");
        assertThat(s.error()).isInstanceOf(IOException.class);
    }

    @Test
    void enqueuedRawResponseAndCloseDelimitedFraming() throws Exception {
        server.enqueue(RawResponse.text(200, "text/plain", "no length").transfer(Transfer.CLOSE_DELIMITED));

        String wire = Http.rawExchange(server, "GET /anything HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n")
                .doesNotContain("Content-Length").doesNotContain("Transfer-Encoding").endsWith("\r\n\r\nno length");
    }

    @Test
    void closeDelimitedStreamsViaConfig() throws Exception {
        try (FakeLlmServer plain = FakeLlmServer.start(ServerConfig.builder()
                .streamTransfer(Transfer.CLOSE_DELIMITED).defaultModel("dflt").build())) {
            byte[] req = FaultTest.request("/v1/chat/completions",
                    "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x y\"}]}");
            String wire = Http.rawExchange(plain, new String(req, StandardCharsets.ISO_8859_1));

            assertThat(wire).contains("Content-Type: text/event-stream").doesNotContain("Transfer-Encoding")
                    .contains("\"model\":\"dflt\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void garbageInputGets400AndServerKeepsWorking() throws Exception {
        assertThat(Http.rawExchange(server, "this is not http\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(Http.rawExchange(server, "GET / HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505 ");
        assertThat(Http.rawExchange(server, "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: abc\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(Http.rawExchange(server, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(Http.rawExchange(server, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[200];
            random.nextBytes(junk);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(2000);
                s.getOutputStream().write(junk);
                s.shutdownOutput();
                s.getInputStream().readAllBytes();
            }
        }
        assertThat(server.requests()).isEmpty();
        assertThat(http.post(server, "/v1/chat/completions", Http.chat("still alive", false)).statusCode())
                .isEqualTo(200);
        assertThat(server.awaitOpenConnectionsAtMost(1, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        try (FakeLlmServer small = FakeLlmServer.start(ServerConfig.builder().maxRequestBodyBytes(1024).build())) {
            HttpResponse<String> r = http.post(small, "/v1/chat/completions", "x".repeat(5000));
            String chunked = Http.rawExchange(small, "POST /v1/chat/completions HTTP/1.1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n800\r\n" + "y".repeat(0x800) + "\r\n0\r\n\r\n");

            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(Http.json(r.body()).at("/error/message").asText()).contains("exceeds 1024");
            assertThat(chunked).startsWith("HTTP/1.1 413 ");
            assertThat(small.requests()).isEmpty();
        }
    }

    @Test
    void http10ClosesAfterResponseAndPipelinedRequestsAreServedInOrder() throws Exception {
        String one = new String(FaultTest.request("/v1/chat/completions", Http.chat("first", false)),
                StandardCharsets.ISO_8859_1);
        String two = one.replace("first", "secnd").replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n");

        String http10 = Http.rawExchange(server, one.replace("HTTP/1.1", "HTTP/1.0"));
        String pipelined = Http.rawExchange(server, one + two);

        assertThat(http10).contains("Connection: close").contains("\"content\":\"first\"");
        assertThat(pipelined.indexOf("\"content\":\"first\"")).isPositive()
                .isLessThan(pipelined.indexOf("\"content\":\"secnd\""));
        assertThat(server.requests()).extracting(RecordedRequest::connectionId).containsExactly(1L, 2L, 2L);
        assertThat(List.of(server.clientDisconnects(), server.clientAborts())).containsOnly(0);
    }
}
