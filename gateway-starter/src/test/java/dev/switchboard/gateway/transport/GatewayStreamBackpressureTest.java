package dev.switchboard.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SseRead;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Through the gateway and its Netty transport: a client that does not read pauses the upstream connection (the
 * provider's writes stall) without blocking an event loop (the gateway keeps answering), and gets every byte once
 * it reads.
 */
class GatewayStreamBackpressureTest {
    private static final int EVENTS = 20_000;
    private static final String PIECE = "x".repeat(1024);

    @Test
    void aSlowClientPausesTheUpstreamStreamWithoutBlockingTheGateway() throws Exception {
        byte[] event = ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + PIECE + "\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] last = ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        try (RawServer upstream = new RawServer()) {
            upstream.enqueue((raw, written) -> {
                BufferedOutputStream out = new BufferedOutputStream(raw, 16 * 1024);
                out.write(RawServer.SSE_HEAD);
                for (int i = 0; i < EVENTS; i++) {
                    out.write(RawServer.chunk(event));
                    written.addAndGet(event.length);
                }
                out.write(RawServer.chunk(last));
                out.write(RawServer.LAST_CHUNK);
                out.flush();
                return true;
            });
            String yaml = "providers:\n  up: { type: openai, base_url: \"" + upstream.uri("/v1") + "\", api_key: k, circuit_breaker: { enabled: false } }\n";
            try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().port(0)
                    .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml)).build());
                 Socket s = new Socket()) {
                s.setReceiveBufferSize(8 * 1024);
                s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5000);
                s.setSoTimeout(30_000);
                String body = "{\"model\":\"up/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
                s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));

                long whileStalled = -1;
                for (int i = 0; i < 40; i++) {
                    Thread.sleep(300);
                    long now = upstream.written.get();
                    if (now > 0 && now == whileStalled) {
                        break;
                    }
                    whileStalled = now;
                }
                System.out.println("upstream bytes written while the client reads nothing: " + whileStalled);
                assertThat(upstream.written.get()).as("the upstream is held back").isEqualTo(whileStalled);
                assertThat(whileStalled).isLessThan((long) EVENTS * event.length / 2);

                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 8; i++) { // every event loop still serves
                    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health/live"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isEqualTo(200);
                }

                SseRead read = SseRead.untilDone(s.getInputStream());
                assertThat(read.tail()).contains("data: [DONE]");
                assertThat(upstream.written.get()).isEqualTo((long) EVENTS * event.length);
                assertThat(read.total()).isGreaterThan((long) EVENTS * PIECE.length());
            }
        }
    }
}
