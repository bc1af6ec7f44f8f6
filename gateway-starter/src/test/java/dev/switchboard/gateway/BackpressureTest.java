package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Usage;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client that does not read makes the gateway stop taking chunks from the provider, instead of buffering them. */
class BackpressureTest {
    private static final int CHUNKS = 20_000;
    private static final String PIECE = "x".repeat(1024);
    private final AtomicInteger accepted = new AtomicInteger();

    /** Streams {@link #CHUNKS} 1 KiB chunks from its own thread, as fast as the sink takes them. */
    private final class FloodProvider implements ChatProvider {
        @Override
        public CompletableFuture<ChatResponse> chat(ChatRequest request) {
            return CompletableFuture.completedFuture(ChatResponse.ofText("f", request.model(), "x", FinishReason.STOP, Usage.NONE));
        }

        @Override
        public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
            CompletableFuture<ChatResponse> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < CHUNKS && !result.isDone(); i++) {
                        sink.accept(ChatChunk.text(PIECE));
                        accepted.incrementAndGet();
                    }
                    sink.accept(ChatChunk.finish(0, FinishReason.STOP));
                    result.complete(ChatResponse.ofText("f", request.model(), "(long)", FinishReason.STOP, Usage.of(1, CHUNKS)));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }, "flood-provider");
            t.start();
            return result;
        }
    }

    @Test
    void aSlowReaderHoldsTheProviderBack() throws Exception {
        ProviderFactory factory = new ProviderFactory() {
            @Override
            public String type() {
                return "flood";
            }

            @Override
            public ChatProvider create(ProviderConfig config) {
                return new FloodProvider();
            }
        };
        try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().port(0)
                .switchboard(Switchboard.builder().classpathConfig(null).providerFactory(factory)
                        .configYaml("providers: { flood: { type: flood } }")).build());
             Socket s = new Socket()) {
            s.setReceiveBufferSize(8 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5000);
            s.setSoTimeout(30_000);
            String body = "{\"model\":\"flood/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));

            // Not reading: the count settles once the socket buffers are full (they may grow a little first).
            int whileStalled = -1;
            for (int i = 0; i < 30; i++) {
                Thread.sleep(300);
                int now = accepted.get();
                if (now > 0 && now == whileStalled) {
                    break;
                }
                whileStalled = now;
            }
            System.out.println("chunks taken while stalled: " + whileStalled);
            assertThat(accepted.get()).as("the provider is held back").isEqualTo(whileStalled);
            assertThat(whileStalled).as("chunks taken while the client reads nothing").isLessThan(CHUNKS / 2);

            SseRead read = SseRead.untilDone(s.getInputStream());
            assertThat(read.tail()).contains("data: [DONE]");
            assertThat(accepted.get()).isEqualTo(CHUNKS);
            assertThat(read.total()).isGreaterThan((long) CHUNKS * PIECE.length());
        }
    }
}
