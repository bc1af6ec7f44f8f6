package dev.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A verbatim HTTP answer: status, headers and a fixture body in any vendor's format, served unchanged.
 * Register it for a path with {@link FakeLlmServer#raw(String, String, RawResponse)} or enqueue it once.
 *
 * <pre>{@code
 * server.raw("POST", "/v2/chat", RawResponse.json(200, "{\"message\":{\"content\":\"hi\"}}"));
 * server.raw("POST", "/v2/chat/stream",
 *         RawResponse.sse(200, "event: a\ndata: {}\n\nevent: b\ndata: {}\n\n").eventDelay(Duration.ofMillis(5)));
 * }</pre>
 *
 * <p>An SSE body is split into events at blank lines; each event is written and flushed separately, with
 * {@link #eventDelay(Duration)} between events. JSON and text default to {@link Transfer#CONTENT_LENGTH}
 * framing, SSE to {@link Transfer#CHUNKED}. Immutable and thread-safe.
 */
public final class RawResponse implements Behavior {

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final boolean sse;
    private final List<Map.Entry<String, String>> headers;
    private final Transfer transfer;
    private final Duration latency;
    private final Duration eventDelay;
    private final int times;

    private RawResponse(int status, String contentType, byte[] body, boolean sse,
                        List<Map.Entry<String, String>> headers, Transfer transfer,
                        Duration latency, Duration eventDelay, int times) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        this.status = status;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = body.clone();
        this.sse = sse;
        this.headers = List.copyOf(headers);
        this.transfer = Objects.requireNonNull(transfer, "transfer");
        this.latency = latency;
        this.eventDelay = eventDelay;
        this.times = times;
    }

    /**
     * @param status HTTP status, 200..599
     * @param json   the body, sent as-is (it need not be valid JSON)
     * @return a response with {@code Content-Type: application/json}
     */
    public static RawResponse json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * @param status HTTP status, 200..599
     * @param events SSE text such as {@code "event: x\ndata: {...}\n\n"}, sent event by event
     * @return a response with {@code Content-Type: text/event-stream}, chunked
     */
    public static RawResponse sse(int status, String events) {
        return of(status, "text/event-stream", events.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * @param status      HTTP status, 200..599
     * @param contentType the {@code Content-Type} header value
     * @param body        the body text, UTF-8 encoded
     * @return a response with that content type
     */
    public static RawResponse text(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * @param status      HTTP status, 200..599
     * @param contentType the {@code Content-Type} header value
     * @param body        the body bytes (copied)
     * @param sse         whether to split and flush the body as server-sent events
     * @return a response with that body
     */
    public static RawResponse of(int status, String contentType, byte[] body, boolean sse) {
        return new RawResponse(status, contentType, body, sse, List.of(),
                sse ? Transfer.CHUNKED : Transfer.CONTENT_LENGTH, Duration.ZERO, Duration.ZERO, 1);
    }

    /**
     * @param name  header name
     * @param value header value
     * @return a copy that also sends this header
     */
    public RawResponse header(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
        return new RawResponse(status, contentType, body, sse, h, transfer, latency, eventDelay, times);
    }

    /**
     * @param transfer how to frame the body
     * @return a copy using that framing
     */
    public RawResponse transfer(Transfer transfer) {
        return new RawResponse(status, contentType, body, sse, headers, transfer, latency, eventDelay, times);
    }

    /**
     * @param latency delay before the response head is sent
     * @return a copy with that latency
     */
    public RawResponse latency(Duration latency) {
        Reply.requireNonNegative(latency);
        return new RawResponse(status, contentType, body, sse, headers, transfer, latency, eventDelay, times);
    }

    /**
     * @param delay pause between consecutive SSE events
     * @return a copy with that delay
     */
    public RawResponse eventDelay(Duration delay) {
        Reply.requireNonNegative(delay);
        return new RawResponse(status, contentType, body, sse, headers, transfer, latency, delay, times);
    }

    /**
     * @param times how many consecutive requests this response answers when enqueued, {@code >= 1}
     * @return a copy with that repeat count
     */
    public RawResponse times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        return new RawResponse(status, contentType, body, sse, headers, transfer, latency, eventDelay, times);
    }

    @Override
    public int times() {
        return times;
    }

    int status() { return status; }
    String contentType() { return contentType; }
    byte[] body() { return body; }
    boolean isSse() { return sse; }
    List<Map.Entry<String, String>> headers() { return headers; }
    Transfer transferMode() { return transfer; }
    Duration latency() { return latency; }
    Duration eventDelay() { return eventDelay; }

    /** @return the SSE events of the body (each ending with its blank line), or the whole body as one part */
    List<byte[]> parts() {
        if (!sse) {
            return List.of(body);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int lf = text.indexOf("\n\n", start);
            int crlf = text.indexOf("\r\n\r\n", start);
            int end;
            if (crlf >= 0 && (lf < 0 || crlf < lf)) {
                end = crlf + 4;
            } else {
                end = lf < 0 ? text.length() : lf + 2;
            }
            out.add(text.substring(start, end).getBytes(StandardCharsets.UTF_8));
            start = end;
        }
        return out;
    }

    @Override
    public String toString() {
        return "RawResponse{" + status + ' ' + contentType + ", " + body.length + " bytes"
                + (times == 1 ? "" : " x" + times) + '}';
    }
}
