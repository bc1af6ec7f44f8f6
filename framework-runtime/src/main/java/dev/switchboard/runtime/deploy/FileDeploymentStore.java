package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A {@link DeploymentStore} in a directory: one sub-directory per deployment and one YAML file per version,
 * {@code <dir>/<key>/v0003.yaml} (see {@link VersionFiles} for the format), so the directory can live in git
 * and versions can be added by a merge as well as by {@link #publish}. Files are written atomically (a
 * temporary file, then a move) and never rewritten. Publishers serialize on a lock per directory within the
 * process and on a file lock ({@code <dir>/.lock}) across processes. Changes made by others (another process,
 * a {@code git pull}) are noticed by polling the directory every {@code pollInterval} (1 s by default).
 *
 * <pre>{@code
 * FileDeploymentStore store = FileDeploymentStore.builder(Path.of("/var/lib/switchboard/deployments"))
 *     .validator(DefinitionValidator.against(() -> sb.config().providers().keySet())).build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the polling.
 */
public final class FileDeploymentStore implements DeploymentStore {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private final Path dir;
    private final DefinitionValidator validator;
    private final ReentrantLock lock;
    private final ChangeListeners listeners = new ChangeListeners();
    private final Poller poller;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();
    private volatile String problem;

    private record Cached(long size, long modified, DeploymentVersion version) {
    }

    private FileDeploymentStore(Builder b) throws IOException {
        Files.createDirectories(b.dir);
        this.dir = b.dir.toRealPath();
        this.validator = b.validator;
        this.lock = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        this.poller = new Poller("sb-deployments-files", b.pollInterval, this::fingerprint, listeners::fire, p -> problem = p);
    }

    /** A builder for a store in {@code dir} (created when missing). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    @Override
    public String name() {
        return "files:" + dir;
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public List<DeploymentVersion> list() {
        List<DeploymentVersion> out = new ArrayList<>();
        for (String key : keys()) {
            List<Path> files = files(key);
            if (!files.isEmpty()) {
                out.add(read(files.get(files.size() - 1), key));
            }
        }
        return out;
    }

    @Override
    public List<DeploymentVersion> history(String key) {
        DeploymentDefinitions.checkKey(key);
        return files(key).stream().map(f -> read(f, key)).toList();
    }

    @Override
    public Optional<DeploymentVersion> version(String key, int number) {
        DeploymentDefinitions.checkKey(key);
        return files(key).stream().filter(f -> VersionFiles.number(f) == number).findFirst().map(f -> read(f, key));
    }

    @Override
    public DeploymentVersion publish(String key, ObjectNode definition, String author, String message) {
        DeploymentDefinitions.checkKey(key);
        Objects.requireNonNull(definition, "definition");
        validator.check(key, definition);
        DeploymentVersion v;
        lock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.lock(); // other processes; released when the channel closes
            List<Path> existing = files(key);
            int next = existing.isEmpty() ? 1 : VersionFiles.number(existing.get(existing.size() - 1)) + 1;
            v = DeploymentVersion.builder(key, next).author(author).message(message).definition(definition).build();
            Path target = dir.resolve(key).resolve(VersionFiles.fileName(next));
            if (Files.exists(target)) {
                throw new DeploymentStoreException(target + " exists already; not overwriting a version", null);
            }
            AtomicFiles.write(target, VersionFiles.write(v));
        } catch (IOException e) {
            throw new DeploymentStoreException("cannot publish deployment '" + key + "' in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        listeners.fire();
        return v;
    }

    @Override
    public AutoCloseable subscribe(Runnable listener) {
        return listeners.add(listener);
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        poller.close();
    }

    @Override
    public String toString() {
        return "FileDeploymentStore[" + dir + "]";
    }

    private List<String> keys() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(k -> !k.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DeploymentStoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The version files of {@code key}, by number. */
    private List<Path> files(String key) {
        Path d = dir.resolve(key);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> VersionFiles.number(p) > 0).sorted(Comparator.comparingInt(VersionFiles::number)).toList();
        } catch (IOException e) {
            throw new DeploymentStoreException("cannot list " + d + ": " + e.getMessage(), e);
        }
    }

    private DeploymentVersion read(Path file, String key) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Cached c = cache.get(file);
            if (c != null && c.size() == a.size() && c.modified() == a.lastModifiedTime().toMillis()) {
                return c.version();
            }
            DeploymentVersion v = VersionFiles.read(file, key);
            cache.put(file, new Cached(a.size(), a.lastModifiedTime().toMillis(), v));
            return v;
        } catch (IOException e) {
            throw new DeploymentStoreException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Names, sizes and times of every version file: changes whenever a version is added or edited. */
    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        try {
            for (String key : keys()) {
                for (Path f : files(key)) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    sb.append(key).append('/').append(f.getFileName()).append(':').append(a.size()).append(':')
                            .append(a.lastModifiedTime().toMillis()).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** Builds a {@link FileDeploymentStore}. Not thread-safe. */
    public static final class Builder {
        private final Path dir;
        private DefinitionValidator validator = DefinitionValidator.structure();
        private Duration pollInterval = Duration.ofSeconds(1);

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** How definitions are checked before they are stored (default {@link DefinitionValidator#structure()}). */
        public Builder validator(DefinitionValidator v) {
            validator = Objects.requireNonNull(v, "validator");
            return this;
        }

        /** How often the directory is checked for changes made by others (default 1 s). */
        public Builder pollInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
            pollInterval = d;
            return this;
        }

        /** Creates the directory when missing and starts polling. @throws DeploymentStoreException when it cannot be created */
        public FileDeploymentStore build() {
            try {
                return new FileDeploymentStore(this);
            } catch (IOException e) {
                throw new DeploymentStoreException("cannot use " + dir + " as a deployment store: " + e.getMessage(), e);
            }
        }
    }
}
