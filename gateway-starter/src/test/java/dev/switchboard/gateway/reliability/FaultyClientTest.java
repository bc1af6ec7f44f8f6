package dev.switchboard.gateway.reliability;

import static dev.switchboard.gateway.reliability.FaultyUpstreams.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave at the gateway: one that leaves mid-stream (the upstream request is cancelled within
 * a second and no retry or fallback starts for it), and slow-loris clients that send a request's head or body
 * byte by byte, or stop half-way (408 or a closed connection within {@code gateway.read_timeout}). A reader
 * too slow for a stream is covered by {@code BackpressureTest}.
 */
class FaultyClientTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static FaultyUpstreams up;

    @BeforeAll
    static void start() {
        up = FaultyUpstreams.start("gateway: { drain_timeout: 5s, read_timeout: " + READ_TIMEOUT.toMillis() + "ms }\n", b -> b);
    }

    @AfterAll
    static void stop() {
        up.close();
    }

    @BeforeEach
    void reset() {
        up.primary.reset();
        up.backup.reset();
    }

    @Test
    void aClientLeavingMidStreamCancelsTheUpstreamAndStartsNoOtherAttempt() throws Exception {
        String words = IntStream.rangeClosed(1, 200).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        up.primary.enqueue(Reply.text(words).chunkDelay(Duration.ofMillis(20)));
        String body = chatBody("hi", true, "\"retry\":{\"count\":2,\"backoff\":\"1ms\"},\"fallbacks\":[\"backup/m\"]");
        try (Socket s = new Socket("127.0.0.1", up.gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(post(body));
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!seen.toString().contains(" w3\"")) {
                int n = in.read(buf);
                assertThat(n).as("the stream flows").isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        long t0 = System.nanoTime();
        assertThat(up.primary.awaitClientAbort(Duration.ofSeconds(1))).as("upstream aborted within a second").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(300);
        assertThat(up.primary.requestCount()).as("no retry after the client left").isEqualTo(1);
        assertThat(up.backup.requestCount()).as("no fallback after the client left").isZero();
    }

    @Test
    void aClientLeavingWhileThePrimaryStallsStartsNoFallback() throws Exception {
        up.primary.enqueue(Fault.stall());
        try (Socket s = new Socket("127.0.0.1", up.gateway.port())) {
            s.getOutputStream().write(post(chatBody("hi", false, "\"fallbacks\":[\"backup/m\"]")));
            assertThat(up.primary.takeRequest(Duration.ofSeconds(2))).isNotNull();
        }
        assertThat(up.primary.awaitClientAbort(Duration.ofSeconds(1))).isTrue();
        Thread.sleep(REQUEST_TIMEOUT_PLUS_MARGIN.toMillis());
        assertThat(up.backup.requestCount()).as("the fallback is not called for a client that left").isZero();
    }

    private static final Duration REQUEST_TIMEOUT_PLUS_MARGIN = Duration.ofMillis(1500);

    @Test
    void aHeadSentByteByByteTimesOut() throws Exception {
        byte[] request = post(chatBody("hi", false, null));
        int head = new String(request, StandardCharsets.UTF_8).indexOf("\r\n\r\n");
        assertSlowRequestIsCut(request, 0, head, Duration.ofMillis(150));
    }

    @Test
    void aBodySentByteByByteTimesOut() throws Exception {
        byte[] request = post(chatBody("hi there, this body trickles in one byte at a time", false, null));
        int bodyStart = new String(request, StandardCharsets.UTF_8).indexOf("\r\n\r\n") + 4;
        assertSlowRequestIsCut(request, bodyStart, request.length, Duration.ofMillis(150));
    }

    @Test
    void aHeadThatStopsHalfWayTimesOut() throws Exception {
        byte[] request = post(chatBody("hi", false, null));
        assertSlowRequestIsCut(request, 30, 30, Duration.ofDays(1)); // 30 bytes, then nothing
    }

    @Test
    void aBodyThatStopsHalfWayTimesOut() throws Exception {
        byte[] request = post(chatBody("hi", false, null));
        int bodyStart = new String(request, StandardCharsets.UTF_8).indexOf("\r\n\r\n") + 4;
        assertSlowRequestIsCut(request, bodyStart + 5, request.length, Duration.ofDays(1));
    }

    /**
     * Sends {@code request[0..slowFrom)} at once, then one byte per {@code gap} up to {@code slowTo} (a gap of
     * a day: nothing more), and expects a 408 or a closed connection within the read timeout (plus slack),
     * counted from the request's first byte.
     */
    private static void assertSlowRequestIsCut(byte[] request, int slowFrom, int slowTo, Duration gap) throws Exception {
        Duration bound = READ_TIMEOUT.plusMillis(1500);
        try (Socket s = new Socket("127.0.0.1", up.gateway.port())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            out.write(request, 0, slowFrom);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int next = slowFrom;
            long nextAt = System.nanoTime();
            boolean closed = false;
            while (System.nanoTime() - t0 < bound.toNanos() + Duration.ofSeconds(3).toNanos()) {
                if (next < slowTo && System.nanoTime() >= nextAt && gap.toDays() == 0) {
                    try {
                        out.write(request[next++]);
                        out.flush();
                    } catch (SocketException e) {
                        closed = true;
                        break;
                    }
                    nextAt = System.nanoTime() + gap.toNanos();
                }
                try {
                    int n = in.read();
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    answer.write(n);
                    if (answer.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (IOException e) {
                    closed = true;
                    break;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            String head = answer.toString(StandardCharsets.US_ASCII);
            assertThat(closed || head.startsWith("HTTP/1.1 408")).as("408 or a closed connection; got '%s'", head).isTrue();
            assertThat(took).as("cut within the read timeout").isLessThan(bound);
            assertThat(up.primary.requestCount()).as("an incomplete request never reaches a provider").isZero();
        }
    }

    private static byte[] post(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length + "\r\n\r\n";
        byte[] out = new byte[head.length() + b.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(b, 0, out, head.length(), b.length);
        return out;
    }
}
