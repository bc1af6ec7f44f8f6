package dev.switchboard.spi.http;

/**
 * Incremental parser of the {@code text/event-stream} format (WHATWG HTML, server-sent events): feed
 * it lines (without line terminators); it emits an event at each blank line. Comments ({@code :})
 * and {@code retry:} are skipped. Not thread-safe: one per stream.
 */
public final class SseParser {
    private final SseListener listener;
    private final StringBuilder data = new StringBuilder();
    private String event;
    private String id;
    private boolean hasData;

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
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
        switch (field) {
            case "data":
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
                break;
            case "event":
                event = value;
                break;
            case "id":
                id = value;
                break;
            default:
                break;
        }
    }

    /** Ends the stream: an event not terminated by a blank line is dispatched (lenient). */
    public void end() {
        dispatch();
    }

    private void dispatch() {
        if (hasData || event != null) {
            SseEvent e = new SseEvent(event == null ? "message" : event, data.toString(), id);
            data.setLength(0);
            hasData = false;
            event = null;
            listener.onEvent(e);
        }
    }
}
