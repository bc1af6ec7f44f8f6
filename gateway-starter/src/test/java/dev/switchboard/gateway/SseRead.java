package dev.switchboard.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP event-stream response read until its {@code data: [DONE]} event (or the end of the connection):
 * how many bytes came, head included, and the last few hundred of them.
 *
 * @param total the bytes read
 * @param tail  the last {@value #TAIL} characters read (ISO-8859-1)
 */
public record SseRead(long total, String tail) {
    private static final int TAIL = 300;

    /** Reads {@code in} until {@code data: [DONE]} arrives or the stream ends. */
    public static SseRead untilDone(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        StringBuilder tail = new StringBuilder();
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            if (tail.length() > TAIL) {
                tail.delete(0, tail.length() - TAIL);
            }
            if (tail.indexOf("data: [DONE]") >= 0) {
                break;
            }
        }
        return new SseRead(total, tail.toString());
    }
}
