package dev.switchboard.gateway.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position after the last record of a page, newest first: its start time (to the microsecond, as stored)
 * and id. Opaque to clients: base64url of {@code v1:<epoch micros>:<id>}. Immutable.
 *
 * @param startedAt the last record's start, as stored
 * @param id        the last record's id
 */
record CallLogCursor(Instant startedAt, String id) {

    /** The cursor's text. */
    String encode() {
        long micros = Math.addExact(Math.multiplyExact(startedAt.getEpochSecond(), 1_000_000L), startedAt.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor.
     *
     * @throws IllegalArgumentException when {@code text} is not one this store issued
     */
    static CallLogCursor decode(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int a = s.indexOf(':');
            int b = s.indexOf(':', a + 1);
            if (!s.startsWith("v1:") || b < 0) {
                throw new IllegalArgumentException("bad cursor");
            }
            long micros = Long.parseLong(s.substring(a + 1, b));
            Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new CallLogCursor(t, s.substring(b + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor: pass the next_cursor of the previous page unchanged");
        }
    }
}
