package dev.switchboard.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingTest {

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void recordsMethodPathQueryHeadersBodyAndJson() throws Exception {
        Instant before = Instant.now();
        HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions?api-version=2024-01-01&x=1"))
                .header("Authorization", "Bearer sk-test")
                .header("X-Multi", "a")
                .header("X-Multi", "b")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.chat("record me", false)))
                .build();
        http.send(request);

        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
        assertThat(r).isNotNull();
        assertThat(r.sequence()).isZero();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/chat/completions");
        assertThat(r.query()).isEqualTo("api-version=2024-01-01&x=1");
        assertThat(r.target()).isEqualTo("/v1/chat/completions?api-version=2024-01-01&x=1");
        assertThat(r.httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(r.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(r.header("AUTHORIZATION")).isEqualTo("Bearer sk-test");
        assertThat(r.headerValues("x-multi")).containsExactly("a", "b");
        assertThat(r.headers()).containsKey("content-type");
        assertThat(r.header("missing")).isNull();
        assertThat(r.body()).isEqualTo(Http.chat("record me", false));
        assertThat(r.json().at("/messages/1/content").asText()).isEqualTo("record me");
        assertThat(r.chunked()).isFalse();
        assertThat(r.receivedAt()).isBetween(before, Instant.now());
        assertThat(server.takeRequest(Duration.ofMillis(20))).isNull();
        assertThat(server.requests()).containsExactly(r);
    }

    @Test
    void jsonOfANonJsonBodyFailsClearly() throws Exception {
        http.post(server, "/v1/chat/completions", "plain text");

        RecordedRequest r = server.takeRequest(Duration.ofSeconds(1));
        assertThatThrownBy(r::json).isInstanceOf(IllegalStateException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(http.post(server, "/v1/chat/completions", Http.chat("k" + i, false)).statusCode())
                    .isEqualTo(200);
        }
        List<RecordedRequest> all = server.requests();
        assertThat(all).extracting(RecordedRequest::sequence).containsExactly(0L, 1L, 2L);
        assertThat(all).extracting(RecordedRequest::connectionId).containsOnly(all.get(0).connectionId());
        assertThat(server.totalConnections()).isEqualTo(1);
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void chunkedRequestBodyIsDecoded() throws Exception {
        byte[] json = Http.chat("streamed upload", false).getBytes(StandardCharsets.UTF_8);
        // a publisher of unknown length makes the JDK client use Transfer-Encoding: chunked
        HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(subscriber -> {
                    HttpRequest.BodyPublishers.ofByteArray(json).subscribe(subscriber);
                }))
                .build();

        HttpResponse<String> r = http.send(request);

        assertThat(Http.json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("streamed upload");
        RecordedRequest recorded = server.takeRequest(Duration.ofSeconds(1));
        assertThat(recorded.chunked()).isTrue();
        assertThat(recorded.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(recorded.bodyBytes()).isEqualTo(json);
    }

    @Test
    void expectContinueIsHonoured() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(Http.chat("after continue", false)))
                .build();

        HttpResponse<String> r = http.send(request);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("after continue");
        assertThat(server.takeRequest(Duration.ofSeconds(1)).header("expect")).isEqualToIgnoringCase("100-continue");
    }

    @Test
    void rawChunkedRequestWithExtensionsAndTrailers() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hey\"}]}";
        String wire = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"
                + Integer.toHexString(10) + ";ext=1\r\n" + body.substring(0, 10) + "\r\n"
                + Integer.toHexString(body.length() - 10) + "\r\n" + body.substring(10) + "\r\n"
                + "0\r\nX-Trailer: t\r\n\r\n";

        String response = Http.rawExchange(server, wire);

        assertThat(response).startsWith("HTTP/1.1 200 OK").contains("Connection: close").contains("\"content\":\"hey\"");
        assertThat(server.takeRequest(Duration.ofSeconds(1)).body()).isEqualTo(body);
    }

    @Test
    void resetClearsScriptRecordsAndRoutes() throws Exception {
        server.enqueue(Reply.status(500));
        server.setDefault(Reply.text("default"));
        server.raw("POST", "/custom", RawResponse.json(200, "{\"custom\":true}"));
        server.forPath("/v1/chat/completions").enqueue(Reply.status(400));
        http.post(server, "/v1/embeddings", "{\"input\":\"x\"}");

        server.reset();

        assertThat(server.requests()).isEmpty();
        assertThat(server.script().remaining()).isZero();
        assertThat(server.forPath("/v1/chat/completions").remaining()).isZero();
        HttpResponse<String> chat = http.post(server, "/v1/chat/completions", Http.chat("echoed", false));
        assertThat(Http.json(chat.body()).at("/choices/0/message/content").asText()).isEqualTo("echoed");
        assertThat(http.post(server, "/custom", "{}").statusCode()).isEqualTo(404);
        assertThat(server.requests()).extracting(RecordedRequest::sequence).containsExactly(0L, 1L);
    }
}
