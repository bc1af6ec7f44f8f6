package dev.switchboard.runtime.deploy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches configuration files and calls a listener when the content of one of them changed. It registers
 * the files' parent directories with a {@link WatchService} (so editors that replace a file by renaming are
 * seen) and, as a fallback for file systems without events (network mounts, some containers), compares the
 * files' SHA-256 checksums every {@code checksumInterval}. Events naming a watched file only trigger a
 * checksum comparison, so a touch calls nothing, and changes to other files of the directory (a call-log database
 * beside the configuration, say) read nothing; after such events the watcher rests {@value #SETTLE_MILLIS} ms, letting
 * a busy directory's events pile up in the key, so that it wakes at most about ten times a second however often
 * the other files are written (an edit of a watched file is then seen that much later). One daemon thread;
 * thread-safe; {@link #close()} stops it.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigWatcher.class);
    static final long SETTLE_MILLIS = 100;
    private final List<Path> files;
    private final Duration checksumInterval;
    private final Runnable onChange;
    private final WatchService watcher;
    private final Thread thread;
    private final boolean links;
    private volatile boolean closed;
    private final AtomicLong eventWakeups = new AtomicLong();
    private String last;

    ConfigWatcher(List<Path> files, Duration checksumInterval, Runnable onChange) {
        this.files = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.checksumInterval = checksumInterval;
        this.onChange = onChange;
        this.links = this.files.stream().anyMatch(Files::isSymbolicLink);
        this.watcher = newWatchService();
        Set<Path> dirs = new LinkedHashSet<>();
        this.files.forEach(f -> dirs.add(f.getParent()));
        for (Path d : dirs) {
            register(d);
        }
        this.last = checksums();
        this.thread = new Thread(this::run, "sb-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private WatchService newWatchService() {
        try {
            return FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("no file system events ({}); configuration files are checked every {} ms", e.getMessage(), checksumInterval.toMillis());
            return null;
        }
    }

    private void register(Path dir) {
        if (watcher == null) {
            return;
        }
        try {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            LOG.info("cannot watch {} ({}); it is checked every {} ms", dir, e.getMessage(), checksumInterval.toMillis());
        }
    }

    private void run() {
        long interval = checksumInterval.toNanos();
        long nextCheck = System.nanoTime() + interval;
        while (!closed) {
            try {
                boolean ours = false;
                if (watcher == null) {
                    Thread.sleep(checksumInterval.toMillis());
                } else {
                    long wait = Math.max(0, nextCheck - System.nanoTime());
                    WatchKey key = watcher.poll(TimeUnit.NANOSECONDS.toMillis(wait) + 1, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        eventWakeups.incrementAndGet();
                        ours = concernsFiles(key);
                        key.reset();
                        if (!ours) {
                            Thread.sleep(SETTLE_MILLIS);
                        }
                    }
                }
                // Events naming another file of the directory (a log, a database file) read nothing; the periodic
                // comparison runs on time whatever the directory's traffic.
                if (ours || watcher == null || System.nanoTime() - nextCheck >= 0) {
                    check();
                    nextCheck = System.nanoTime() + interval;
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("watching configuration files failed: {}", e.toString());
            }
        }
    }

    /**
     * Whether {@code key}'s events may concern the watched files: events that name one of them, lost events (an
     * overflow), names starting with {@code ..} (a Kubernetes ConfigMap swaps its {@code ..data} link, never
     * the file's own name), and any event while a watched file is a symbolic link (its target's events name the
     * target).
     */
    private boolean concernsFiles(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW || links
                    || e.context() instanceof Path name && (name.toString().startsWith("..")
                    || key.watchable() instanceof Path dir && files.contains(dir.resolve(name)))) {
                ours = true;
            }
        }
        return ours;
    }

    /** How many times the watcher woke for file system events so far (for tests). */
    long eventWakeups() {
        return eventWakeups.get();
    }

    private void check() {
        String now = checksums();
        if (!now.equals(last)) {
            last = now;
            onChange.run();
        }
    }

    /** One line per file: its checksum, {@code missing}, or {@code unreadable}. */
    private String checksums() {
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                out.add(HexFormat.of().formatHex(hash));
            } catch (NoSuchFileException e) {
                out.add("missing");
            } catch (IOException e) {
                out.add("unreadable");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join("\n", out);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
