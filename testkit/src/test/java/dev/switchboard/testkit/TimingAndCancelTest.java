package dev.switchboard.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimingAndCancelTest {

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void latencyDelaysTheResponse() throws Exception {
        server.enqueue(Reply.echo().latency(Duration.ofMillis(1000)));

        long start = System.nanoTime();
        HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("slow", false));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(1000);

        long start2 = System.nanoTime();
        http.post(server, "/v1/chat/completions", Http.chat("fast", false));
        // Only the scripted request waits; the bound is loose so a busy machine cannot fail it.
        assertThat((System.nanoTime() - start2) / 1_000_000).isLessThan(900);
    }

    @Test
    void chunkDelaySpacesContentChunks() throws Exception {
        server.enqueue(Reply.text("a b c d").chunkDelay(Duration.ofMillis(300)));

        Http.Stream s = http.stream(server, "/v1/chat/completions", Http.chat("x", true));

        // data lines: role, a, b, c, d, finish, [DONE]
        List<Long> dataNanos = new java.util.ArrayList<>();
        for (int i = 0; i < s.lines().size(); i++) {
            if (s.lines().get(i).startsWith("data: ")) {
                dataNanos.add(s.nanos().get(i));
            }
        }
        assertThat(dataNanos).hasSize(7);
        // 3 pauses of 300 ms between the 4 content chunks; client-side arrival times jitter a little
        long spreadMs = (dataNanos.get(4) - dataNanos.get(1)) / 1_000_000;
        assertThat(spreadMs).isGreaterThanOrEqualTo(800);
        long beforeFirstContentMs = (dataNanos.get(1) - dataNanos.get(0)) / 1_000_000;
        assertThat(beforeFirstContentMs).as("no pause before the first content chunk").isLessThan(250);
    }

    @Test
    void clientCancellingMidStreamIsObservedAsAbort() throws Exception {
        server.enqueue(Reply.text("one two three four five six seven eight nine ten")
                .chunkDelay(Duration.ofMillis(100)));

        HttpResponse<InputStream> r = http.client.send(
                Http.post(server.url("/v1/chat/completions"), Http.chat("x", true)),
                HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = r.body();
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!seen.toString().contains("\" two\"")) {
            int n = body.read(buf);
            assertThat(n).isPositive();
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        body.close(); // cancel mid-stream

        assertThat(server.awaitClientAbort(Duration.ofSeconds(3))).isTrue();
        assertThat(server.clientAborts()).isEqualTo(1);
        assertThat(server.clientDisconnects()).isEqualTo(1);
        assertThat(server.awaitOpenConnectionsAtMost(0, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void normalClientCloseIsADisconnectButNotAnAbort() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(FaultTest.request("/v1/chat/completions", Http.chat("x", false)));
            socket.setSoTimeout(3000);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            String got = "";
            while (!got.contains("chat.completion")) {
                got += new String(buf, 0, in.read(buf), StandardCharsets.ISO_8859_1);
            }
        }
        assertThat(server.awaitClientDisconnect(Duration.ofSeconds(3))).isTrue();
        assertThat(server.clientAborts()).isZero();
    }
}
