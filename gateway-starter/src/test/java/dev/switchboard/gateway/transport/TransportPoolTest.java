package dev.switchboard.gateway.transport;

import static dev.switchboard.gateway.transport.TransportFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bounds of the connection pools: connections per origin, and requests waiting for one. */
class TransportPoolTest {
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2);

    @Test
    void concurrentRequestsShareAtMostTheBoundOfConnections() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start();
             NettyHttpTransport t = NettyHttpTransport.builder(LOOPS.group()).maxConnectionsPerOrigin(4).build()) {
            fake.setDefault(Reply.text("ok").latency(Duration.ofMillis(20)));
            List<CompletableFuture<HttpResult>> calls = new ArrayList<>();
            EventLoop[] loops = {LOOPS.group().next(), LOOPS.group().next()};
            for (int i = 0; i < 60; i++) {
                boolean stream = i % 3 == 0;
                calls.add(onLoop(loops[i % 2], () -> stream ? t.stream(chat(fake.url("/v1/chat/completions"), true), e -> { })
                        : t.send(chat(fake.url("/v1/chat/completions"), false))));
            }
            for (CompletableFuture<HttpResult> c : calls) {
                assertThat(c.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(fake.totalConnections()).as("two per loop").isBetween(2L, 4L);
            assertThat(fake.requestCount()).isEqualTo(60);
        }
    }

    @Test
    void requestsBeyondTheWaitingBoundFailAtOnce() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start();
             NettyHttpTransport t = NettyHttpTransport.builder(LOOPS.group()).maxConnectionsPerOrigin(2).maxPendingAcquires(2).build()) {
            fake.setDefault(Reply.text("ok").latency(Duration.ofMillis(300)));
            List<CompletableFuture<HttpResult>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(t.send(chat(fake.url("/v1/chat/completions"), false)));
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResult> c : calls) {
                try {
                    c.get(30, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessageContaining("waiting for a connection");
                    refused++;
                }
            }
            // callers off the event loops share the origin's loop: its share of the bounds is 1 connection + 1 waiting
            assertThat(ok).as("connections + waiting places").isEqualTo(2);
            assertThat(refused).isEqualTo(10);
        }
    }

    @Test
    void aWaitingRequestTimesOutWithTheCallTimeoutAndLeavesTheQueue() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start();
             NettyHttpTransport t = NettyHttpTransport.builder(LOOPS.group()).maxConnectionsPerOrigin(1).maxPendingAcquires(1).build()) {
            fake.setDefault(Reply.text("ok").latency(Duration.ofMillis(600)));
            EventLoop loop = LOOPS.group().next(); // the bounds are per loop: one connection, one waiting place
            CompletableFuture<HttpResult> first = onLoop(loop, () -> t.send(chat(fake.url("/v1/chat/completions"), false)));
            CompletableFuture<HttpResult> impatient = onLoop(loop,
                    () -> t.send(chat(fake.url("/v1/chat/completions"), false, Duration.ofMillis(100))));
            assertThat(TransportFixture.failure(impatient)).isInstanceOf(HttpTimeoutException.class);
            assertThat(first).isNotDone();
            CompletableFuture<HttpResult> patient = onLoop(loop, () -> t.send(chat(fake.url("/v1/chat/completions"), false)));
            CompletableFuture<HttpResult> tooMany = onLoop(loop, () -> t.send(chat(fake.url("/v1/chat/completions"), false)));
            assertThat(TransportFixture.failure(tooMany)).isInstanceOf(IOException.class).hasMessageContaining("waiting");
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(patient.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(fake.totalConnections()).isEqualTo(1);
        }
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }
}
