package dev.switchboard.gateway.transport;

import dev.switchboard.spi.http.SseListener;
import dev.switchboard.spi.http.SseParser;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * The 2xx event stream of one call being read: bytes to lines ({@link SseLineDecoder}), lines to events
 * ({@link SseParser}), events to the listener, with the call's {@link StreamControl} {@linkplain StreamControl#current()
 * current} while the listener runs. Not thread-safe: one per call, used on its event loop.
 */
final class EventStream {
    private final SseParser parser;
    private final SseLineDecoder lines;
    private final StreamControl control;

    EventStream(SseListener listener, int maxLineBytes, StreamControl control) {
        this.parser = new SseParser(listener);
        this.lines = new SseLineDecoder(maxLineBytes);
        this.control = control;
    }

    /**
     * Feeds a piece of the body; each line it completes goes to {@code sink}, which hands it to {@link #line}.
     *
     * @return the number of lines completed, or -1 when the sink stopped
     * @throws IOException when a line exceeds the limit
     */
    int feed(ByteBuf buf, SseLineDecoder.LineSink sink) throws IOException {
        StreamControl previous = StreamControl.enter(control);
        try {
            return lines.feed(buf, sink);
        } finally {
            StreamControl.exit(previous);
        }
    }

    /** Parses one line: at a blank line the listener gets an event (and may throw). */
    void line(String line) {
        parser.line(line);
    }

    /**
     * The end of the body: the last line when it had no terminator, then the parser's lenient end (which may
     * deliver a last event, and so throw the listener's exception).
     *
     * @return false when the sink stopped
     */
    boolean end(SseLineDecoder.LineSink sink) {
        StreamControl previous = StreamControl.enter(control);
        try {
            String last = lines.finish();
            if (last != null && !sink.line(last)) {
                return false;
            }
            parser.end();
            return true;
        } finally {
            StreamControl.exit(previous);
        }
    }
}
