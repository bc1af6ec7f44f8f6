package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deployment definitions fetched from a Switchboard gateway ({@code GET /v2/deployments/export}), for
 * applications in configuration-management mode: they call providers themselves and take prompts, models
 * and routing from the gateway. The copy is kept in memory and refreshed in the background every
 * {@code refresh} (with {@code If-None-Match}, so an unchanged export costs a 304); calls never wait for it.
 * Every accepted copy is checked with the {@link DefinitionValidator} and saved to the last-known-good file
 * (atomically); when the gateway cannot be reached at start-up the source starts from that file, and when it
 * goes away later the copy in memory keeps serving. A failed fetch is reported by {@link #problem()}.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder()
 *     .remoteConfig(URI.create("http://gateway:8080"), System.getenv("SB_KEY"), Path.of("sb-lkg.json"), Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>As a {@link ConfigSource} it gives {@code {deployments: {…}}} from memory (no network I/O); used through
 * {@code Switchboard.Builder.remoteConfig} (a {@link DeploymentSource} of a {@link ManagedConfig}) each
 * deployment also carries its gateway version ({@code v3}). Thread-safe; {@link #close()} stops refreshing.
 */
public final class RemoteConfigSource implements ConfigSource, DeploymentSource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemoteConfigSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI export;
    private final String apiKey;
    private final Path cacheFile;
    private final Duration timeout;
    private final DefinitionValidator validator;
    private final HttpClient http;
    private final ChangeListeners listeners = new ChangeListeners();
    private final ScheduledExecutorService timer;
    private volatile Copy copy = new Copy(List.of(), null, "none");
    private volatile String problem;
    private volatile boolean closed;

    /** The copy in force: versions, the entity tag they came with, and where they came from. */
    private record Copy(List<DeploymentVersion> versions, String etag, String origin) {
    }

    private RemoteConfigSource(Builder b) {
        String base = b.gateway.toString();
        this.export = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v2/deployments/export");
        this.apiKey = b.apiKey;
        this.cacheFile = b.cacheFile;
        this.timeout = b.timeout;
        this.validator = b.validator;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
        if (!refreshNow() && cacheFile != null && Files.exists(cacheFile)) {
            startFromCacheFile();
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-remote-config");
            t.setDaemon(true);
            return t;
        });
        long ms = b.refresh.toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A builder for the gateway at {@code gateway} ({@code http://host:port}). */
    public static Builder builder(URI gateway) {
        return new Builder(gateway);
    }

    @Override
    public String name() {
        return export.getScheme() + "://" + export.getAuthority();
    }

    @Override
    public Optional<ObjectNode> load() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode d = root.putObject("deployments");
        copy.versions().forEach(v -> d.set(v.key(), v.definition()));
        return copy.versions().isEmpty() ? Optional.empty() : Optional.of(root);
    }

    @Override
    public List<DeploymentVersion> list() {
        return copy.versions();
    }

    @Override
    public AutoCloseable subscribe(Runnable listener) {
        return listeners.add(listener);
    }

    @Override
    public String problem() {
        return problem;
    }

    /** Where the copy in force came from: {@code gateway}, {@code cache file}, or {@code none}. */
    public String origin() {
        return copy.origin();
    }

    /**
     * Fetches the export now (blocking for at most the timeout) and takes it when it changed and is valid.
     *
     * @return whether the gateway answered with a usable export or 304
     */
    public boolean refreshNow() {
        HttpRequest.Builder rb = HttpRequest.newBuilder(export).timeout(timeout).header("accept", "application/json").GET();
        if (apiKey != null) {
            rb.header("authorization", "Bearer " + apiKey);
        }
        Copy before = copy;
        if (before.etag() != null) {
            rb.header("if-none-match", before.etag());
        }
        try {
            HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 304) {
                if (!"gateway".equals(before.origin())) {
                    copy = new Copy(before.versions(), before.etag(), "gateway");
                }
                problem = null;
                return true;
            }
            if (r.statusCode() != 200) {
                return fail("GET " + export + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
            }
            JsonNode body = JSON.readTree(r.body());
            List<DeploymentVersion> versions = DeploymentJson.readExport(body);
            versions.forEach(v -> validator.check(v.key(), v.definition()));
            String etag = r.headers().firstValue("etag").orElse(DeploymentJson.etag((ObjectNode) body));
            boolean changed = !versions.equals(before.versions());
            copy = new Copy(versions, etag, "gateway");
            problem = null;
            save(etag, (ObjectNode) body);
            if (changed) {
                LOG.info("deployments from {}: {}", name(), versions.stream().map(v -> v.key() + "@" + v.label()).toList());
                listeners.fire();
            }
            return true;
        } catch (IOException e) {
            return fail("GET " + export + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("GET " + export + " was interrupted");
        } catch (RuntimeException e) {
            return fail("GET " + export + " gave an export that was not taken: " + e.getMessage());
        }
    }

    private void refreshQuietly() {
        try {
            refreshNow();
        } catch (RuntimeException e) {
            fail(e.toString());
        }
    }

    private boolean fail(String why) {
        if (closed) {
            return false;
        }
        if (!why.equals(problem)) {
            Copy c = copy;
            LOG.warn("{}; {}", why, c.versions().isEmpty() ? "no remote deployments yet"
                    : "still serving the " + c.versions().size() + " deployment(s) last taken from the " + c.origin());
        }
        problem = why;
        return false;
    }

    private void save(String etag, ObjectNode body) {
        if (cacheFile == null) {
            return;
        }
        try {
            LastKnownGood.save(cacheFile, name(), etag, body);
        } catch (IOException e) {
            LOG.warn("cannot save the last-known-good deployments to {}: {}", cacheFile, e.toString());
        }
    }

    private void startFromCacheFile() {
        try {
            LastKnownGood.Copy c = LastKnownGood.read(cacheFile);
            c.versions().forEach(v -> validator.check(v.key(), v.definition()));
            copy = new Copy(c.versions(), c.etag(), "cache file");
            LOG.warn("gateway {} not reachable at start-up; starting from the last-known-good copy {} saved at {}", name(), cacheFile, c.savedAt());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot start from the last-known-good copy {}: {}", cacheFile, e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "RemoteConfigSource[" + export + ", " + copy.origin() + "]";
    }

    /** Builds a {@link RemoteConfigSource}. Not thread-safe. */
    public static final class Builder {
        private final URI gateway;
        private String apiKey;
        private Path cacheFile;
        private Duration refresh = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(5);
        private DefinitionValidator validator = DefinitionValidator.structure();

        private Builder(URI gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            if (gateway.getScheme() == null || !gateway.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("the gateway URL must be http:// or https://, was " + gateway);
            }
        }

        /** The gateway API key sent as {@code Authorization: Bearer} (none by default). */
        public Builder apiKey(String key) {
            apiKey = key == null || key.isBlank() ? null : key;
            return this;
        }

        /** The last-known-good file (none by default: then a gateway down at start-up means no remote deployments). */
        public Builder cacheFile(Path file) {
            cacheFile = file;
            return this;
        }

        /** How often to fetch (default 5 s). */
        public Builder refresh(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("refresh must be positive");
            }
            refresh = d;
            return this;
        }

        /** The connect and request timeout of one fetch (default 5 s); start-up waits at most this long. */
        public Builder timeout(Duration d) {
            timeout = Objects.requireNonNull(d, "timeout");
            return this;
        }

        /** How each fetched definition is checked before the copy is taken (default {@link DefinitionValidator#structure()}). */
        public Builder validator(DefinitionValidator v) {
            validator = Objects.requireNonNull(v, "validator");
            return this;
        }

        /** Fetches once (falling back to the last-known-good file) and starts refreshing. Never fails for an unreachable gateway. */
        public RemoteConfigSource build() {
            return new RemoteConfigSource(this);
        }
    }
}
