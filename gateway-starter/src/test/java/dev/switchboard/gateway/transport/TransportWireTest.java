package dev.switchboard.gateway.transport;

import static dev.switchboard.gateway.transport.RawServer.LAST_CHUNK;
import static dev.switchboard.gateway.transport.RawServer.SSE_HEAD;
import static dev.switchboard.gateway.transport.RawServer.chunk;
import static dev.switchboard.gateway.transport.RawServer.pieces;
import static dev.switchboard.gateway.transport.RawServer.utf8;
import static dev.switchboard.gateway.transport.TransportFixture.chat;
import static dev.switchboard.gateway.transport.TransportFixture.failure;
import static dev.switchboard.gateway.transport.TransportFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseEvent;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Byte-exact answers from a raw server: lines split across TCP writes, timeouts, framing, pausing a stream. */
class TransportWireTest {
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2);
    private RawServer server;
    private NettyHttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = new RawServer();
        transport = NettyHttpTransport.builder(LOOPS.group()).build();
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        server.close();
    }

    /** Chunked-encoding pieces, one TCP write each, of {@code text} cut at {@code cuts}. */
    private static byte[][] sse(String text, int... cuts) {
        byte[] bytes = utf8(text);
        byte[][] out = new byte[cuts.length + 3][];
        out[0] = SSE_HEAD;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            out[i + 1] = chunk(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        out[out.length - 1] = LAST_CHUNK;
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void linesSplitAcrossWritesAnywhereGiveTheSameEvents() throws Exception {
        String text = "data: {\"a\":\"héllo 😀\"}\r\n\r\nevent: e\rdata: 1\r\rdata: x\ndata: y\n\n";
        List<SseEvent> expected = List.of(new SseEvent("message", "{\"a\":\"héllo 😀\"}", null), new SseEvent("e", "1", null),
                new SseEvent("message", "x\ny", null));
        int length = utf8(text).length;
        for (int cut = 1; cut < length; cut++) {
            server.enqueue(pieces(2, true, sse(text, cut, Math.min(length - 1, cut + 1))));
            List<SseEvent> events = new CopyOnWriteArrayList<>();
            get(transport.stream(chat(server.uri("/sse"), true), events::add));
            assertThat(events).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(server.connections()).as("one kept-alive connection for every stream").isEqualTo(1);
    }

    @Test
    void aGapBetweenTwoLinesLongerThanTheTimeoutFails() throws Exception {
        server.enqueue(pieces(600, true, concat(SSE_HEAD, chunk(utf8("data: 1\n\n"))), chunk(utf8("data: 2\n\n")), LAST_CHUNK));
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        Throwable t = failure(transport.stream(chat(server.uri("/sse"), true, Duration.ofMillis(300)), events::add));
        assertThat(t).isInstanceOf(HttpTimeoutException.class).hasMessageContaining("idle");
        assertThat(events).hasSize(1);
    }

    @Test
    void aStreamSlowerInTotalThanTheTimeoutButWithShortGapsSucceeds() throws Exception {
        byte[][] p = new byte[12][];
        p[0] = SSE_HEAD;
        for (int i = 1; i < 11; i++) {
            p[i] = chunk(utf8("data: " + i + "\n\n"));
        }
        p[11] = LAST_CHUNK;
        server.enqueue(pieces(100, true, p));
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        get(transport.stream(chat(server.uri("/sse"), true, Duration.ofMillis(400)), events::add));
        assertThat(events).hasSize(10);
    }

    @Test
    void aPlainBodyMustArriveWholeWithinTheTimeout() throws Exception {
        byte[] head = utf8("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n");
        byte[][] trickle = new byte[11][];
        trickle[0] = head;
        for (int i = 1; i < 11; i++) {
            trickle[i] = utf8("    ");
        }
        server.enqueue(pieces(100, true, trickle));
        Throwable t = failure(transport.send(chat(server.uri("/x"), false, Duration.ofMillis(400))));
        assertThat(t).isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no complete answer");
    }

    @Test
    void aBodyEndedByClosingTheConnectionIsWholeAndTheConnectionIsNotReused() throws Exception {
        server.enqueue(pieces(10, false, utf8("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":"), utf8("1}")));
        server.enqueue(pieces(0, true, utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")));
        assertThat(get(transport.send(chat(server.uri("/x"), false))).bodyText()).isEqualTo("{\"a\":1}");
        assertThat(get(transport.send(chat(server.uri("/x"), false))).bodyText()).isEqualTo("{}");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void connectionCloseInTheAnswerIsHonoured() throws Exception {
        server.enqueue(pieces(0, true, utf8("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")));
        server.enqueue(pieces(0, true, utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]")));
        assertThat(get(transport.send(chat(server.uri("/x"), false))).bodyText()).isEqualTo("{}");
        assertThat(get(transport.send(chat(server.uri("/x"), false))).bodyText()).isEqualTo("[]");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aContinueBeforeTheAnswerIsSkipped() throws Exception {
        server.enqueue(pieces(0, true, utf8("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")));
        HttpResult r = get(transport.send(chat(server.uri("/x"), false)));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyText()).isEqualTo("ok");
    }

    @Test
    void aPausedStreamReadsNothingAndDoesNotTimeOutUntilResumed() throws Exception {
        byte[][] p = new byte[22][];
        p[0] = SSE_HEAD;
        for (int i = 1; i < 21; i++) {
            p[i] = chunk(utf8("data: " + i + "\n\n"));
        }
        p[21] = LAST_CHUNK;
        server.enqueue(pieces(20, true, p));
        List<SseEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<StreamControl> control = new AtomicReference<>();
        CompletableFuture<HttpResult> f = transport.stream(chat(server.uri("/sse"), true, Duration.ofMillis(300)), e -> {
            events.add(e);
            if (control.get() == null) {
                control.set(StreamControl.current());
                StreamControl.current().pause();
            }
        });
        Thread.sleep(1000); // longer than the idle timeout
        assertThat(f).isNotDone();
        int whilePaused = events.size();
        assertThat(whilePaused).as("only what was read already").isLessThan(5);
        Thread.sleep(200);
        assertThat(events).hasSize(whilePaused);
        control.get().resume();
        assertThat(get(f).status()).isEqualTo(200);
        assertThat(events).hasSize(20);
        assertThat(StreamControl.current()).as("only set inside a listener").isNull();
        control.get().pause(); // after the end: nothing happens
        server.enqueue(pieces(0, true, utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")));
        assertThat(get(transport.send(chat(server.uri("/x"), false, Duration.ofMillis(500)))).bodyText()).isEqualTo("{}");
        assertThat(server.connections()).isEqualTo(1);
    }
}
