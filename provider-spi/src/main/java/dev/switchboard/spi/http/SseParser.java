package dev.switchboard.spi.http;

/**
 * Incremental parser of the {@code text/event-stream} format (WHATWG HTML, server-sent events): feed
 * it lines (without line terminators); it emits an event at each blank line. Comments ({@code :})
 * and {@code retry:} are skipped. Not thread-safe: one per stream.
 */
public final class SseParser {
    private final SseListener listener;
    /** The event's only {@code data:} value so far (the usual case: kept as it is, no copy), or null. */
    private String firstData;
    /** The {@code data:} values joined, once a second one came; else empty. */
    private final StringBuilder data = new StringBuilder();
    private String event;
    private String id;

    /** A parser that emits to {@code listener}. */
    public SseParser(SseListener listener) {
        this.listener = listener;
    }

    /** Feeds one line. */
    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        int nameLength = colon < 0 ? line.length() : colon;
        if (isField(line, nameLength, "data")) {
            data(value(line, colon));
        } else if (isField(line, nameLength, "event")) {
            event = value(line, colon);
        } else if (isField(line, nameLength, "id")) {
            id = value(line, colon);
        }
    }

    private static boolean isField(String line, int nameLength, String name) {
        return nameLength == name.length() && line.startsWith(name);
    }

    /** The value after the colon, without one leading space; empty for a line without a colon. */
    private static String value(String line, int colon) {
        if (colon < 0) {
            return "";
        }
        int from = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
        return line.substring(from);
    }

    private void data(String value) {
        if (firstData == null && data.length() == 0) {
            firstData = value;
            return;
        }
        if (firstData != null) {
            data.append(firstData);
            firstData = null;
        }
        data.append('\n').append(value);
    }

    /** Ends the stream: an event not terminated by a blank line is dispatched (lenient). */
    public void end() {
        dispatch();
    }

    private void dispatch() {
        boolean hasData = firstData != null || data.length() > 0;
        if (hasData || event != null) {
            String joined = firstData != null ? firstData : data.toString();
            SseEvent e = new SseEvent(event == null ? "message" : event, joined, id);
            firstData = null;
            data.setLength(0);
            event = null;
            listener.onEvent(e);
        }
    }
}
