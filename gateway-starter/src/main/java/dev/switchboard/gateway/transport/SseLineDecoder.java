package dev.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits the bytes of an event stream into lines, as the {@code text/event-stream} format defines them: each
 * ends with {@code \r\n}, {@code \n} or {@code \r}, wherever the chunk borders fall (a {@code \r\n} split
 * across two chunks counts once). A line is decoded as UTF-8 only once complete, so a character split across
 * chunks decodes correctly. A line longer than the limit fails. Not thread-safe: one per stream.
 */
final class SseLineDecoder {
    /** Receives lines. */
    interface LineSink {
        /**
         * Takes one line, without its terminator.
         *
         * @return false to stop: the rest of the input is dropped
         */
        boolean line(String line);
    }

    private final int maxLineBytes;
    private byte[] partial = new byte[0];
    private int length;
    private boolean afterCr;

    /** @param maxLineBytes the longest line accepted */
    SseLineDecoder(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Feeds the readable bytes of {@code in} (not consumed), handing each line completed to {@code sink}.
     *
     * @return the number of lines handed over, or -1 when the sink asked to stop
     * @throws IOException when a line exceeds the limit
     */
    int feed(ByteBuf in, LineSink sink) throws IOException {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int lines = 0;
        if (afterCr && i < end) {
            afterCr = false;
            if (in.getByte(i) == '\n') {
                i++;
            }
        }
        while (i < end) {
            int eol = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
            if (eol < 0) {
                append(in, i, end - i);
                break;
            }
            String line;
            if (length == 0) {
                if (eol - i > maxLineBytes) {
                    throw new IOException("an event stream line is longer than " + maxLineBytes + " bytes");
                }
                line = in.toString(i, eol - i, StandardCharsets.UTF_8);
            } else {
                append(in, i, eol - i);
                line = new String(partial, 0, length, StandardCharsets.UTF_8);
                length = 0;
            }
            i = eol + 1;
            if (in.getByte(eol) == '\r') {
                if (i < end) {
                    if (in.getByte(i) == '\n') {
                        i++;
                    }
                } else {
                    afterCr = true;
                }
            }
            lines++;
            if (!sink.line(line)) {
                return -1;
            }
        }
        return lines;
    }

    /** The last line when the stream ended without its terminator, or null. */
    String finish() {
        if (length == 0) {
            return null;
        }
        String line = new String(partial, 0, length, StandardCharsets.UTF_8);
        length = 0;
        return line;
    }

    private void append(ByteBuf in, int from, int n) throws IOException {
        if (n == 0) {
            return;
        }
        if ((long) length + n > maxLineBytes) {
            throw new IOException("an event stream line is longer than " + maxLineBytes + " bytes");
        }
        if (length + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(length + n, Math.max(256, partial.length * 2))));
        }
        in.getBytes(from, partial, length, n);
        length += n;
    }
}
