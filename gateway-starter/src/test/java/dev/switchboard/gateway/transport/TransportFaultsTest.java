package dev.switchboard.gateway.transport;

import static dev.switchboard.gateway.transport.TransportFixture.chat;
import static dev.switchboard.gateway.transport.TransportFixture.failure;
import static dev.switchboard.gateway.transport.TransportFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.testkit.Behavior;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault of the testkit, plain and streamed: the Netty transport fails (or succeeds) exactly as the JDK
 * transport does, as {@code ProviderException.fromFailure} sees it; connect failures; cancellation; limits.
 */
class TransportFaultsTest {
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2);
    private FakeLlmServer fake;
    private NettyHttpTransport netty;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        netty = NettyHttpTransport.builder(LOOPS.group()).build();
    }

    @AfterEach
    void stop() {
        netty.close();
        fake.close();
    }

    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (boolean stream : new boolean[] {false, true}) {
            out.add(Arguments.of("connectionReset", Fault.connectionReset(), stream));
            out.add(Arguments.of("closeWithoutAnswer", Fault.closeWithoutAnswer(), stream));
            out.add(Arguments.of("malformedJson", Fault.malformedJson(), stream));
            out.add(Arguments.of("bodyCutHalfway", Fault.bodyCutHalfway(), stream));
            out.add(Arguments.of("streamCutAfter(2)", Fault.streamCutAfter(2), stream));
            out.add(Arguments.of("stall", Fault.stall(), stream));
            out.add(Arguments.of("status 500", Reply.status(500), stream));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, stream={2}")
    @MethodSource("faults")
    void eachFaultEndsAsWithTheJdkTransport(String name, Behavior fault, boolean stream) throws Exception {
        String jdk = outcome(HttpTransport.jdk(Duration.ofSeconds(5)), fault, stream);
        String ours = outcome(netty, fault, stream);
        System.out.println(name + (stream ? " (stream): " : ": ") + ours);
        assertThat(ours).as("netty vs jdk for %s", name).isEqualTo(jdk);
    }

    /** "status N, E events" or "failed: KIND after E events", with the exception type for transport failures. */
    private String outcome(HttpTransport t, Behavior fault, boolean stream) throws Exception {
        fake.enqueue(fault);
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResult> f = stream ? t.stream(chat(fake.url("/v1/chat/completions"), true, Duration.ofMillis(700)), events::add)
                : t.send(chat(fake.url("/v1/chat/completions"), false, Duration.ofMillis(700)));
        try {
            HttpResult r = f.get(20, TimeUnit.SECONDS);
            return "status " + r.status() + ", " + events.size() + " events" + (r.isSuccess() && !stream ? ", json=" + isJson(r) : "");
        } catch (java.util.concurrent.ExecutionException e) {
            ProviderException pe = ProviderException.fromFailure("p", "m", e.getCause());
            String type = e.getCause() instanceof HttpTimeoutException ? "timeout" : e.getCause() instanceof IOException ? "io" : "other";
            return "failed: " + pe.kind() + " (" + type + ") after " + events.size() + " events";
        }
    }

    private static boolean isJson(HttpResult r) {
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable t = failure(netty.send(chat(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"), false)));
        assertThat(t).isInstanceOf(ConnectException.class);
        assertThat(ProviderException.fromFailure("p", "m", t).kind()).isEqualTo(ProviderCallException.Kind.CONNECTION);
    }

    @Test
    void aConnectThatHangsIsAConnectTimeout() throws Exception {
        // A listener that never accepts, its backlog full: the kernel drops further SYNs, so connecting hangs.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(s.getLocalSocketAddress(), 200);
                    } catch (IOException full) {
                        break;
                    }
                    fillers.add(f);
                }
                URI uri = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/v1/chat/completions");
                long t0 = System.nanoTime();
                Throwable t = failure(netty.withConnectTimeout(Duration.ofMillis(300)).send(chat(uri, false)));
                assertThat(t).isInstanceOf(HttpConnectTimeoutException.class);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 5000L);
                assertThat(ProviderException.fromFailure("p", "m", t).kind()).isEqualTo(ProviderCallException.Kind.CONNECTION);
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void noAnswerHeadWithinTheTimeoutIsAnHttpTimeout() throws Exception {
        fake.enqueue(Fault.stall());
        long t0 = System.nanoTime();
        Throwable t = failure(netty.send(chat(fake.url("/v1/chat/completions"), false, Duration.ofMillis(300))));
        assertThat(t).isInstanceOf(HttpTimeoutException.class).isNotInstanceOf(HttpConnectTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 5000L);
        assertThat(fake.awaitClientAbort(Duration.ofSeconds(5))).as("the connection is closed").isTrue();
    }

    @Test
    void cancellingAWaitingCallAbortsItsConnection() throws Exception {
        fake.enqueue(Fault.stall());
        CompletableFuture<HttpResult> f = netty.send(chat(fake.url("/v1/chat/completions"), false));
        assertThat(fake.takeRequest(Duration.ofSeconds(5))).isNotNull();
        f.cancel(true);
        assertThat(fake.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
        fake.enqueue(Reply.text("after"));
        assertThat(get(netty.send(chat(fake.url("/v1/chat/completions"), false))).bodyText()).contains("after");
        assertThat(fake.totalConnections()).as("the aborted connection was not reused").isEqualTo(2);
    }

    @Test
    void cancellingAStreamAbortsItsConnection() throws Exception {
        fake.enqueue(Reply.text("one two three four five six seven eight").chunkDelay(Duration.ofMillis(200)));
        CompletableFuture<SseEvent> first = new CompletableFuture<>();
        CompletableFuture<HttpResult> f = netty.stream(chat(fake.url("/v1/chat/completions"), true), first::complete);
        first.get(5, TimeUnit.SECONDS);
        f.cancel(true);
        assertThat(fake.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aListenerThatThrowsFailsTheStreamWithItsExceptionAndDropsTheConnection() throws Exception {
        fake.enqueue(Reply.text("one two three four").chunkDelay(Duration.ofMillis(50)));
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable t = failure(netty.stream(chat(fake.url("/v1/chat/completions"), true), e -> {
            throw boom;
        }));
        assertThat(t).isSameAs(boom);
        assertThat(fake.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aBodyAboveTheLimitFails() throws Exception {
        try (NettyHttpTransport small = NettyHttpTransport.builder(LOOPS.group()).maxBodyBytes(1024).build()) {
            fake.enqueue(Reply.text("x".repeat(4000)));
            assertThat(failure(small.send(chat(fake.url("/v1/chat/completions"), false))))
                    .isInstanceOf(IOException.class).hasMessageContaining("exceeds the limit of 1024");
        }
    }
}
