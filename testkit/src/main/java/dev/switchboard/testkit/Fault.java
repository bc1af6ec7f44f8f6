package dev.switchboard.testkit;

import java.util.Objects;

/**
 * A low-level transport failure the fake server injects instead of a well-formed answer. Every fault reads
 * the whole request first (so it is {@linkplain FakeLlmServer#requests() recorded}).
 *
 * <pre>{@code
 * server.enqueue(Fault.connectionReset());   // client sees an IOException ("Connection reset")
 * server.enqueue(Fault.streamCutAfter(3));   // 3 content chunks, then the socket closes; no [DONE]
 * server.enqueue(Fault.stall());             // never answers; ends when the client gives up or the server closes
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Fault implements Behavior {

    /** The kinds of fault, one per factory method. */
    public enum Kind {
        /** TCP RST before any response byte ({@code SO_LINGER 0}, then close). */
        CONNECTION_RESET,
        /** Graceful close (FIN) without sending any byte. */
        CLOSE_WITHOUT_ANSWER,
        /** {@code 200} with {@code Content-Type: application/json} (or an SSE stream) carrying invalid JSON. */
        MALFORMED_JSON,
        /** {@code Content-Length: N}, then only N/2 bytes, then close. */
        BODY_CUT_HALFWAY,
        /** A stream that sends N content chunks, then closes without its terminal event. */
        STREAM_CUT,
        /** Never answers, until the client disconnects or the server closes. */
        STALL
    }

    private final Kind kind;
    private final int cutAfter;
    private final Reply source;
    private final int times;

    private Fault(Kind kind, int cutAfter, Reply source, int times) {
        this.kind = kind;
        this.cutAfter = cutAfter;
        this.source = source;
        this.times = times;
    }

    /**
     * Reads the request, then aborts the connection with a TCP reset before any response header.
     *
     * @return a new fault
     */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, null, 1);
    }

    /**
     * Reads the request, then closes the socket gracefully without sending a byte.
     *
     * @return a new fault
     */
    public static Fault closeWithoutAnswer() {
        return new Fault(Kind.CLOSE_WITHOUT_ANSWER, 0, null, 1);
    }

    /**
     * Answers {@code 200 application/json} with a truncated JSON body; a streaming request instead gets a
     * {@code text/event-stream} whose content event carries invalid JSON, followed by the normal terminator.
     *
     * @return a new fault
     */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 0, null, 1);
    }

    /**
     * Sends the head of the (non-streamed) success answer with {@code Content-Length: N}, then N/2 body
     * bytes, then closes. On a raw route the route's fixture body is cut.
     *
     * @return a new fault; its body is that of {@link Reply#echo()} unless {@link #source(Reply)} says otherwise
     */
    public static Fault bodyCutHalfway() {
        return new Fault(Kind.BODY_CUT_HALFWAY, 0, Reply.echo(), 1);
    }

    /**
     * Streams the first {@code contentChunks} content chunks (after the protocol's opening events), then
     * closes the connection without the finish chunk, usage, {@code [DONE]} or {@code message_stop}; chunked
     * framing is left unterminated. The default content is {@code "w1 w2 ... w(n+1)"}, so the cut is always
     * visible. On a raw SSE route the first {@code contentChunks} events of the fixture are sent. A
     * non-streaming request gets {@link #bodyCutHalfway()} instead.
     *
     * @param contentChunks how many content chunks to send before the cut, {@code >= 0}
     * @return a new fault
     */
    public static Fault streamCutAfter(int contentChunks) {
        if (contentChunks < 0) {
            throw new IllegalArgumentException("contentChunks must be >= 0");
        }
        StringBuilder words = new StringBuilder("w1");
        for (int i = 2; i <= contentChunks + 1; i++) {
            words.append(" w").append(i);
        }
        return new Fault(Kind.STREAM_CUT, contentChunks, Reply.text(words.toString()), 1);
    }

    /**
     * Reads the request and never answers. The exchange ends when the client closes the connection (counted
     * as a {@linkplain FakeLlmServer#clientAborts() client abort}) or when the server closes.
     *
     * @return a new fault
     */
    public static Fault stall() {
        return new Fault(Kind.STALL, 0, null, 1);
    }

    /**
     * Uses this reply's content, chunking, chunk delay and latency for the partial answer of
     * {@link #bodyCutHalfway()} and {@link #streamCutAfter(int)}; ignored by the other kinds.
     *
     * @param reply a success reply ({@link Reply#text}, {@link Reply#chunks} or {@link Reply#echo})
     * @return a copy with that source
     */
    public Fault source(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        if (reply.isError()) {
            throw new IllegalArgumentException("the source of a fault must be a success reply");
        }
        return new Fault(kind, cutAfter, reply, times);
    }

    /**
     * @param times how many consecutive requests this fault answers when enqueued, {@code >= 1}
     * @return a copy with that repeat count
     */
    public Fault times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        return new Fault(kind, cutAfter, source, times);
    }

    /**
     * @return which fault this is
     */
    public Kind kind() {
        return kind;
    }

    @Override
    public int times() {
        return times;
    }

    int cutAfter() {
        return cutAfter;
    }

    Reply source() {
        return source == null ? Reply.echo() : source;
    }

    @Override
    public String toString() {
        return "Fault{" + kind + (kind == Kind.STREAM_CUT ? " after " + cutAfter : "")
                + (times == 1 ? "" : " x" + times) + '}';
    }
}
