package dev.switchboard.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.calllog.CallRecordJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file operations of {@link SpillQueue}'s segments: appending lines with an fsync, reading back the lines that
 * are whole records, counting lines. Stateless and thread-safe.
 */
final class SegmentFiles {
    private SegmentFiles() {
    }

    /**
     * Appends {@code lines} (each followed by a newline) to {@code file}, creating it, and syncs its data to disk;
     * a new file's directory entry is synced too (best effort).
     *
     * @return the bytes written
     */
    static long append(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        long n = buf.remaining();
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
        if (created) {
            syncDirectory(file.getParent());
        }
        return n;
    }

    /** The lines of {@code file} that are JSON objects with an {@code id}, in order; torn or garbled lines are left out. */
    static List<String> records(Path file) throws IOException {
        List<String> valid = new ArrayList<>();
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.isBlank() && isRecord(line)) {
                valid.add(line);
            }
        }
        return valid;
    }

    private static boolean isRecord(String line) {
        try {
            JsonNode n = CallRecordJson.mapper().readTree(line);
            return n != null && n.isObject() && n.path("id").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    /** Lines in {@code file}, a last one without a newline included. */
    static int countLines(Path file) throws IOException {
        int n = 0;
        int last = '\n';
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
                last = buf[r - 1];
            }
        }
        return last == '\n' ? n : n + 1;
    }

    /** Makes a new file's directory entry durable (best effort; not every platform can). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // the data itself is synced; only a crash right now could lose the new file's name
        }
    }
}
