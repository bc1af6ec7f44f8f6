package dev.switchboard.testkit;

import java.io.IOException;
import java.time.Duration;

/**
 * Receives the SSE events of a streamed reply: paces content events by the chunk delay and, for
 * {@link Fault#streamCutAfter(int)}, stops the stream with {@link StreamCut} after the allowed number of
 * content events. Used by one handler thread only.
 */
final class EventSink {

    /** Thrown to abandon a stream at the scripted cut point; the caller closes the connection. */
    static final class StreamCut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamCut() {
            super("stream cut by fault", null, false, false);
        }
    }

    private final BodyWriter body;
    private final Connection conn;
    private final Duration chunkDelay;
    private final int cutAfter;
    private int contentSent;

    /** @param cutAfter content events to send before cutting the stream, or -1 for a complete stream */
    EventSink(BodyWriter body, Connection conn, Duration chunkDelay, int cutAfter) {
        this.body = body;
        this.conn = conn;
        this.chunkDelay = chunkDelay;
        this.cutAfter = cutAfter;
    }

    /** Sends a protocol event (not content): {@code data} is already formatted SSE text. */
    void event(String sse) throws IOException {
        body.part(sse);
    }

    /** Sends a content event, after the chunk delay if it is not the first. */
    void content(String sse) throws IOException {
        if (cutAfter >= 0 && contentSent >= cutAfter) {
            throw new StreamCut();
        }
        if (contentSent > 0) {
            conn.pause(chunkDelay);
        }
        body.part(sse);
        contentSent++;
    }

    /** Marks the end of content: a stream that must be cut is cut here, before any terminal event. */
    void endOfContent() {
        if (cutAfter >= 0) {
            throw new StreamCut();
        }
    }

    /** @return SSE text {@code data: <json>} followed by a blank line */
    static String data(String json) {
        return "data: " + json + "\n\n";
    }

    /** @return SSE text with an {@code event:} line and a {@code data:} line */
    static String named(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }
}
