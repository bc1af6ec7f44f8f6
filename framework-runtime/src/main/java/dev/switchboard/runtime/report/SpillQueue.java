package dev.switchboard.runtime.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records waiting for the gateway, on disk: append-only segment files {@code seg-<n>.jsonl} (one record's JSON
 * per line), fsync'd on every append, read oldest first. The total size is bounded: when an append passes it,
 * the oldest segments are deleted and their unsent records counted as dropped. Segments left by an earlier run
 * of the application are sent first (a record sent twice is stored once by the gateway). A torn or unreadable
 * line is dropped and counted. The directory is locked ({@code .lock}); when another process (or reporter)
 * holds it, a sub-directory named after this instance is used; when no directory is usable, the queue lives in
 * memory only. Thread-safe (every method is synchronized); used by one sender thread.
 */
final class SpillQueue implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpillQueue.class);
    private static final Pattern NAME = Pattern.compile("seg-(\\d{1,19})\\.jsonl");
    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final LongConsumer dropped;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final FileChannel lockChannel;
    private long nextSeq = 1;
    private long bytes;
    private long records;

    /** One segment: a file (or, in memory mode, a list); {@code lines} is read when the segment is first peeked. */
    private static final class Segment {
        final long seq;
        final Path path;
        List<String> lines;
        long bytes;
        int records;
        int consumed;
        boolean sealed;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    private SpillQueue(Path dir, FileChannel lockChannel, long maxBytes, LongConsumer dropped) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(512, Math.min(4L * 1024 * 1024, maxBytes / 8));
        this.dropped = dropped;
    }

    /**
     * Opens the queue in {@code dir} (created if missing), or in {@code dir/<instance>} when {@code dir} is locked,
     * or in memory when neither can be used; picks up segments an earlier run left.
     *
     * @param dropped told how many records are dropped (bound passed, unreadable lines)
     */
    static SpillQueue open(Path dir, String instance, long maxBytes, LongConsumer dropped) {
        for (Path d : List.of(dir, dir.resolve(instance.replaceAll("[^A-Za-z0-9_.-]", "_")))) {
            FileChannel lock = null;
            try {
                Files.createDirectories(d);
                lock = FileChannel.open(d.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = lock.tryLock();
                if (l == null) {
                    lock.close();
                    continue;
                }
                SpillQueue q = new SpillQueue(d, lock, maxBytes, dropped);
                q.scan();
                return q;
            } catch (OverlappingFileLockException e) {
                closeQuietly(lock);
            } catch (IOException e) {
                closeQuietly(lock);
                LOG.warn("cannot spill call records to {}: {}", d, e.toString());
            }
        }
        LOG.warn("no usable spill directory at {}; records wait in memory only while the gateway is unreachable", dir);
        return new SpillQueue(null, null, maxBytes, dropped);
    }

    private void scan() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.jsonl")) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        for (var e : found.entrySet()) {
            Segment s = new Segment(e.getKey(), e.getValue());
            s.sealed = true; // never append after what an earlier run may have torn
            s.bytes = Files.size(s.path);
            s.records = SegmentFiles.countLines(s.path);
            segments.add(s);
            bytes += s.bytes;
            records += s.records;
            nextSeq = e.getKey() + 1;
        }
        if (records > 0) {
            LOG.info("{} call record(s) from an earlier run wait in {} to be reported", records, dir);
        }
        enforceBound();
    }

    /** The directory in use, or null in memory mode. */
    synchronized Path directory() {
        return dir;
    }

    /** Whether no record waits. */
    synchronized boolean isEmpty() {
        return segments.isEmpty();
    }

    /** Records waiting (unreadable lines not yet found included). */
    synchronized long records() {
        return records;
    }

    /** Bytes kept. */
    synchronized long bytes() {
        return bytes;
    }

    /**
     * Appends records (JSON lines) after every record already waiting, and syncs them to disk.
     *
     * @throws IOException when they could not be written (the caller counts them as dropped)
     */
    synchronized void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        Segment s = segments.peekLast();
        if (s == null || s.sealed || s.bytes >= segmentBytes) {
            s = new Segment(nextSeq++, dir == null ? null : dir.resolve(String.format("seg-%019d.jsonl", nextSeq - 1)));
            if (dir == null) {
                s.lines = new ArrayList<>();
            }
            segments.add(s);
        }
        long n = 0;
        if (dir == null) {
            s.lines.addAll(lines);
            for (String l : lines) {
                n += l.length() + 1;
            }
        } else {
            try {
                n = SegmentFiles.append(s.path, lines);
            } catch (IOException e) {
                s.sealed = true;
                throw e;
            }
        }
        s.bytes += n;
        s.records += lines.size();
        bytes += n;
        records += lines.size();
        enforceBound();
    }

    /** Up to {@code max} of the oldest waiting records, without removing them; empty when none wait. */
    synchronized List<String> peek(int max) {
        while (!segments.isEmpty()) {
            Segment s = segments.peekFirst();
            s.sealed = true;
            if (s.lines == null) {
                s.lines = read(s);
            }
            if (s.consumed < s.lines.size()) {
                return List.copyOf(s.lines.subList(s.consumed, Math.min(s.lines.size(), s.consumed + max)));
            }
            remove(s);
        }
        return List.of();
    }

    /** Removes the {@code n} oldest records, as returned by {@link #peek}. */
    synchronized void commit(int n) {
        Segment s = segments.peekFirst();
        if (s == null || s.lines == null) {
            return;
        }
        int k = Math.min(n, s.lines.size() - s.consumed);
        s.consumed += k;
        records -= k;
        if (s.consumed >= s.lines.size()) {
            remove(s);
        }
    }

    private List<String> read(Segment s) {
        List<String> valid = List.of();
        try {
            valid = SegmentFiles.records(s.path);
        } catch (IOException e) {
            LOG.warn("cannot read spilled call records {}: {}", s.path, e.toString());
        }
        int lost = s.records - valid.size();
        if (lost > 0) {
            LOG.warn("{} unreadable call record(s) in {} dropped", lost, s.path);
            dropped.accept(lost);
        }
        records += valid.size() - s.records;
        s.records = valid.size();
        return new ArrayList<>(valid);
    }

    private void enforceBound() {
        while (bytes > maxBytes && !segments.isEmpty()) {
            Segment s = segments.peekFirst();
            int lost = s.records - s.consumed;
            LOG.warn("spilled call records passed {} bytes: dropping the oldest {} record(s)", maxBytes, lost);
            dropped.accept(lost);
            remove(s);
        }
    }

    private void remove(Segment s) {
        segments.remove(s);
        bytes -= s.bytes;
        records -= s.records - Math.min(s.consumed, s.records);
        if (s.path != null) {
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                LOG.warn("cannot delete spilled segment {}: {}", s.path, e.toString());
            }
        }
    }

    /** Releases the directory lock; segments stay on disk for the next run. */
    @Override
    public synchronized void close() {
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
