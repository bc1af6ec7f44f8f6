package dev.switchboard.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultTest {

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void connectionResetSurfacesAsIOExceptionAndRequestIsRecorded() throws Exception {
        server.enqueue(Fault.connectionReset());

        assertThatThrownBy(() -> http.post(server, "/v1/chat/completions", Http.chat("x", false)))
                .isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(1);
        // the next request is served normally on a new connection
        assertThat(http.post(server, "/v1/chat/completions", Http.chat("ok", false)).statusCode()).isEqualTo(200);
    }

    @Test
    void connectionResetIsATcpResetOnTheWire() throws Exception {
        server.enqueue(Fault.connectionReset());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request("/v1/chat/completions", Http.chat("x", false)));
            socket.setSoTimeout(3000);
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void closeWithoutAnswerSendsNoBytes() throws Exception {
        server.enqueue(Fault.closeWithoutAnswer(), Fault.closeWithoutAnswer());

        assertThatThrownBy(() -> http.post(server, "/v1/chat/completions", Http.chat("x", false)))
                .isInstanceOf(IOException.class);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request("/v1/chat/completions", Http.chat("x", false)));
            socket.setSoTimeout(3000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1); // graceful EOF, zero bytes
        }
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void malformedJsonIs200WithJsonContentTypeThatJacksonRejects() throws Exception {
        server.enqueue(Fault.malformedJson());

        HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("x", false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThatThrownBy(() -> Http.MAPPER.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void malformedJsonInAStreamBreaksTheContentEvent() throws Exception {
        server.enqueue(Fault.malformedJson());

        Http.Stream s = http.stream(server, "/v1/chat/completions", Http.chat("x", true));

        assertThat(s.contentType()).isEqualTo("text/event-stream");
        assertThat(s.data()).hasSize(2).last().isEqualTo("[DONE]");
        assertThatThrownBy(() -> Http.MAPPER.readTree(s.data().get(0))).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void bodyCutHalfwaySendsHalfOfContentLengthThenCloses() throws Exception {
        server.enqueue(Fault.bodyCutHalfway(), Fault.bodyCutHalfway().source(Reply.text("some longer text here")));

        assertThatThrownBy(() -> http.post(server, "/v1/chat/completions", Http.chat("x", false)))
                .isInstanceOf(IOException.class);
        String wire = Http.rawExchange(server, new String(request("/v1/chat/completions", Http.chat("x", false)),
                StandardCharsets.ISO_8859_1));
        String head = wire.substring(0, wire.indexOf("\r\n\r\n"));
        String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
        int declared = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(head).startsWith("HTTP/1.1 200 OK");
        assertThat(body.length()).isEqualTo(declared / 2).isPositive();
        assertThat(body).startsWith("{\"id\":\"chatcmpl-");
    }

    @Test
    void streamCutAfterThreeSendsThreeContentChunksAndNoDone() throws Exception {
        server.enqueue(Fault.streamCutAfter(3));

        Http.Stream s = http.stream(server, "/v1/chat/completions", Http.chat("x", true));

        assertThat(s.status()).isEqualTo(200);
        List<String> data = s.data();
        assertThat(data).doesNotContain("[DONE]");
        List<JsonNode> chunks = data.stream().map(Http::json).toList();
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.subList(1, chunks.size()))
                .extracting(c -> c.at("/choices/0/delta/content").asText())
                .containsExactly("w1", " w2", " w3");
        assertThat(chunks).noneMatch(c -> c.at("/choices/0/finish_reason").isTextual());
        assertThat(s.error()).as("unterminated chunked body").isInstanceOf(IOException.class);
    }

    @Test
    void streamCutWorksForAnthropicAndWithCustomSource() throws Exception {
        server.enqueue(Fault.streamCutAfter(1).source(Reply.text("only first arrives")));

        Http.Stream s = http.stream(server, "/v1/messages", Http.anthropic("x", true));

        assertThat(s.events()).containsExactly("message_start", "content_block_start", "ping", "content_block_delta");
        assertThat(Http.json(s.data().get(3)).at("/delta/text").asText()).isEqualTo("only");
    }

    @Test
    void streamCutOnANonStreamingRequestCutsTheBody() {
        server.enqueue(Fault.streamCutAfter(2));

        assertThatThrownBy(() -> http.post(server, "/v1/chat/completions", Http.chat("x", false)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void stallIsCutByClientTimeoutAndCountsAsClientAbort() throws Exception {
        server.enqueue(Fault.stall());
        HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(Http.chat("x", false)))
                .build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(request)).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

        assertThat(server.awaitClientAbort(Duration.ofSeconds(3))).isTrue();
        assertThat(server.clientAborts()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void closeEndsStalledConnectionsPromptly() throws Exception {
        server.enqueue(Fault.stall().times(2));
        Socket a = new Socket("127.0.0.1", server.port());
        Socket b = new Socket("127.0.0.1", server.port());
        try (a; b) {
            a.getOutputStream().write(request("/v1/chat/completions", Http.chat("x", false)));
            b.getOutputStream().write(request("/v1/messages", Http.anthropic("x", false)));
            while (server.requestCount() < 2) {
                Thread.sleep(5);
            }
            assertThat(server.openConnections()).isEqualTo(2);

            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            for (Socket s : List.of(a, b)) {
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                assertThat(readOrReset(in)).isEqualTo(-1);
            }
            assertThat(server.openConnections()).isZero();
            assertThat(server.clientAborts()).isZero();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port())).isInstanceOf(IOException.class);
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    static byte[] request(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] all = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, all, 0, head.length());
        System.arraycopy(body, 0, all, head.length(), body.length);
        return all;
    }
}
