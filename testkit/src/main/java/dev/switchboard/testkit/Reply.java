package dev.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A well-formed answer rendered in the wire format of the requested path: OpenAI Chat Completions,
 * OpenAI embeddings or Anthropic Messages; streamed as SSE when the request asks for {@code "stream":true}.
 *
 * <pre>{@code
 * server.enqueue(Reply.text("hello world").chunkDelay(Duration.ofMillis(10)));
 * server.enqueue(Reply.status(429).retryAfterSeconds(1));
 * server.enqueue(Reply.status(503).times(2));
 * server.enqueue(Reply.echo().latency(Duration.ofMillis(50)));
 * }</pre>
 *
 * <p>A success reply carries a text (or echoes the last user message) that streaming splits into word
 * chunks ({@code "a b c"} becomes {@code "a"," b"," c"}) unless {@link #chunks(String...)} gives them
 * explicitly. An error reply ({@link #status(int)}) answers with an error body in the path's shape
 * (Anthropic shape for {@code /v1/messages}, OpenAI shape elsewhere). On a path with no built-in wire format,
 * a success reply answers 404, except on {@link FakeLlmServer#raw raw routes}, where it serves the route's
 * fixture after the reply's latency.
 *
 * <p>Immutable and thread-safe: every {@code with}-style method returns a new instance.
 */
public final class Reply implements Behavior {

    enum Kind { TEXT, ECHO, ERROR }

    private final Kind kind;
    private final String text;
    private final List<String> chunks;
    private final int status;
    private final String errorType;
    private final String errorCode;
    private final String errorMessage;
    private final String finishReason;
    private final List<Map.Entry<String, String>> headers;
    private final Duration latency;
    private final Duration chunkDelay;
    private final int times;

    private Reply(Spec s) {
        this.kind = s.kind;
        this.text = s.text;
        this.chunks = s.chunks == null ? null : List.copyOf(s.chunks);
        this.status = s.status;
        this.errorType = s.errorType;
        this.errorCode = s.errorCode;
        this.errorMessage = s.errorMessage;
        this.finishReason = s.finishReason;
        this.headers = List.copyOf(s.headers);
        this.latency = s.latency;
        this.chunkDelay = s.chunkDelay;
        this.times = s.times;
    }

    /**
     * A success reply with the given assistant text; streamed as one chunk per word.
     *
     * @param text the assistant message content, not null
     * @return a new reply
     */
    public static Reply text(String text) {
        Spec s = new Spec(Kind.TEXT);
        s.text = Objects.requireNonNull(text, "text");
        return new Reply(s);
    }

    /**
     * A success reply whose stream carries exactly these content chunks; the non-streamed text is their
     * concatenation.
     *
     * @param chunks the content deltas, at least one, none null
     * @return a new reply
     */
    public static Reply chunks(String... chunks) {
        if (chunks.length == 0) {
            throw new IllegalArgumentException("at least one chunk is required");
        }
        Spec s = new Spec(Kind.TEXT);
        s.chunks = List.of(chunks);
        s.text = String.join("", s.chunks);
        return new Reply(s);
    }

    /**
     * A success reply that repeats the text of the last {@code user} message of the request (empty when none);
     * this is the server's default behaviour.
     *
     * @return a new reply
     */
    public static Reply echo() {
        return new Reply(new Spec(Kind.ECHO));
    }

    /**
     * An error reply with the given HTTP status and an error body in the path's wire format.
     *
     * @param status an HTTP status between 400 and 599
     * @return a new reply
     */
    public static Reply status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 400..599: " + status);
        }
        Spec s = new Spec(Kind.ERROR);
        s.status = status;
        return new Reply(s);
    }

    /**
     * @param seconds value of a {@code Retry-After} header, {@code >= 0}
     * @return a copy with that header
     */
    public Reply retryAfterSeconds(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be >= 0");
        }
        return header("Retry-After", Long.toString(seconds));
    }

    /**
     * @param name  a response header name
     * @param value its value
     * @return a copy that also sends this header (it replaces a built-in header of the same name)
     */
    public Reply header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(s -> s.headers.add(Map.entry(name, value)));
    }

    /**
     * @param latency delay before the response head is sent
     * @return a copy with that latency
     */
    public Reply latency(Duration latency) {
        requireNonNegative(latency);
        return with(s -> s.latency = latency);
    }

    /**
     * @param delay pause between consecutive streamed content chunks
     * @return a copy with that delay
     */
    public Reply chunkDelay(Duration delay) {
        requireNonNegative(delay);
        return with(s -> s.chunkDelay = delay);
    }

    /**
     * @param times how many consecutive requests this reply answers when enqueued
     * @return a copy
     */
    public Reply times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        return with(s -> s.times = times);
    }

    /**
     * @param reason OpenAI {@code finish_reason} (default {@code stop}); for Anthropic {@code stop} maps to
     *               {@code end_turn}, {@code length} to {@code max_tokens}, anything else is sent verbatim
     * @return a copy with that finish reason
     */
    public Reply finishReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        return with(s -> s.finishReason = reason);
    }

    /**
     * @param message the error message of an error reply
     * @return a copy with that message
     */
    public Reply errorMessage(String message) {
        Objects.requireNonNull(message, "message");
        return with(s -> s.errorMessage = message);
    }

    /**
     * @param type the error type (e.g. {@code rate_limit_error}) replacing the status' default
     * @return a copy
     */
    public Reply errorType(String type) {
        Objects.requireNonNull(type, "type");
        return with(s -> s.errorType = type);
    }

    /**
     * @param code the OpenAI error {@code code} (e.g. {@code rate_limit_exceeded})
     * @return a copy
     */
    public Reply errorCode(String code) {
        Objects.requireNonNull(code, "code");
        return with(s -> s.errorCode = code);
    }

    @Override
    public int times() {
        return times;
    }

    Kind kind() { return kind; }
    boolean isError() { return kind == Kind.ERROR; }
    String text() { return text; }
    List<String> explicitChunks() { return chunks; }
    int status() { return status; }
    String errorType() { return errorType; }
    String errorCode() { return errorCode; }
    String errorMessage() { return errorMessage; }
    String finishReason() { return finishReason; }
    List<Map.Entry<String, String>> headers() { return headers; }
    Duration latency() { return latency; }
    Duration chunkDelay() { return chunkDelay; }

    private Reply with(Consumer<Spec> change) {
        Spec s = new Spec(this);
        change.accept(s);
        return new Reply(s);
    }

    static void requireNonNegative(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
    }

    @Override
    public String toString() {
        return "Reply{" + kind + (kind == Kind.ERROR ? " " + status : kind == Kind.TEXT ? " '" + text + "'" : "")
                + (latency.isZero() ? "" : " latency=" + latency)
                + (chunkDelay.isZero() ? "" : " chunkDelay=" + chunkDelay)
                + (times == 1 ? "" : " x" + times) + '}';
    }

    /** Mutable construction state; never escapes this class. */
    private static final class Spec {
        Kind kind;
        String text;
        List<String> chunks;
        int status = 200;
        String errorType;
        String errorCode;
        String errorMessage;
        String finishReason = "stop";
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Duration latency = Duration.ZERO;
        Duration chunkDelay = Duration.ZERO;
        int times = 1;

        Spec(Kind kind) {
            this.kind = kind;
        }

        Spec(Reply r) {
            kind = r.kind;
            text = r.text;
            chunks = r.chunks;
            status = r.status;
            errorType = r.errorType;
            errorCode = r.errorCode;
            errorMessage = r.errorMessage;
            finishReason = r.finishReason;
            headers = new ArrayList<>(r.headers);
            latency = r.latency;
            chunkDelay = r.chunkDelay;
            times = r.times;
        }
    }
}
