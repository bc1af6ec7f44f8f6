package dev.switchboard.runtime.report;

import dev.switchboard.runtime.calllog.Redactor;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how an application in configuration-management mode reports its calls to a gateway
 * ({@code POST {gateway}/v2/logs/ingest}). Immutable and thread-safe; built with {@link #builder}.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder()
 *     .remoteConfig(gatewayUri, clientKey, Path.of("sb-lkg.json"), Duration.ofSeconds(5))
 *     .reportTo(ReportSettings.builder(gatewayUri, System.getenv("SB_INGEST_KEY"), "billing-service")
 *         .spillDir(Path.of("/var/lib/billing/sb-spill"))
 *         .logContent(true).redact("\\bACC-\\d{8}\\b", "[ACCOUNT]")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Defaults: instance {@code <hostname>-<pid>}; spill directory {@code ${java.io.tmpdir}/switchboard-report/<app>};
 * at most 64 MiB on disk; batches of 500 records or whatever queued within 1 s; a queue of 10,000 records;
 * gzip on; 10 s request timeout; backoff 500 ms doubling to 30 s; contents (messages, reply) not reported,
 * built-in redaction when they are.
 */
public final class ReportSettings {
    /** The most records the gateway takes in one request. */
    public static final int MAX_BATCH = 1000;
    private final URI gateway;
    private final String ingestKey;
    private final String app;
    private final String instance;
    private final Path spillDir;
    private final long maxSpillBytes;
    private final int batchSize;
    private final Duration flushInterval;
    private final int queueCapacity;
    private final boolean compression;
    private final Duration timeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final boolean logContent;
    private final Redactor redactor;

    private ReportSettings(Builder b) {
        String base = b.gateway.toString();
        this.gateway = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.ingestKey = b.ingestKey;
        this.app = b.app;
        this.instance = b.instance != null ? b.instance : defaultInstance();
        this.spillDir = b.spillDir != null ? b.spillDir
                : Path.of(System.getProperty("java.io.tmpdir"), "switchboard-report", app);
        this.maxSpillBytes = b.maxSpillBytes;
        this.batchSize = b.batchSize;
        this.flushInterval = b.flushInterval;
        this.queueCapacity = b.queueCapacity;
        this.compression = b.compression;
        this.timeout = b.timeout;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.logContent = b.logContent;
        this.redactor = b.redactor;
    }

    /**
     * A builder.
     *
     * @param gateway   the gateway, {@code http://host:port}
     * @param ingestKey one of the gateway's {@code gateway.ingest_keys} (in plain text)
     * @param app       the application's name: letters, digits, {@code _ . -}, at most 64
     */
    public static Builder builder(URI gateway, String ingestKey, String app) {
        return new Builder(gateway, ingestKey, app);
    }

    private static String defaultInstance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        return host.replace('/', '-') + "-" + ProcessHandle.current().pid();
    }

    public URI gateway() { return gateway; }
    public String ingestKey() { return ingestKey; }
    public String app() { return app; }
    public String instance() { return instance; }
    /** {@code app/instance}: the origin stamped on every record. */
    public String origin() { return app + "/" + instance; }
    public Path spillDir() { return spillDir; }
    public long maxSpillBytes() { return maxSpillBytes; }
    public int batchSize() { return batchSize; }
    public Duration flushInterval() { return flushInterval; }
    public int queueCapacity() { return queueCapacity; }
    public boolean compression() { return compression; }
    public Duration timeout() { return timeout; }
    public Duration initialBackoff() { return initialBackoff; }
    public Duration maxBackoff() { return maxBackoff; }
    public boolean logContent() { return logContent; }
    public Redactor redactor() { return redactor; }

    /** Builds {@link ReportSettings}. Not thread-safe. */
    public static final class Builder {
        private final URI gateway;
        private final String ingestKey;
        private final String app;
        private String instance;
        private Path spillDir;
        private long maxSpillBytes = 64L * 1024 * 1024;
        private int batchSize = 500;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int queueCapacity = 10_000;
        private boolean compression = true;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private boolean logContent;
        private Redactor redactor = Redactor.builtIn();

        private Builder(URI gateway, String ingestKey, String app) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            if (!"http".equals(gateway.getScheme()) && !"https".equals(gateway.getScheme())) {
                throw new IllegalArgumentException("gateway must be an http(s) URL, was " + gateway);
            }
            if (ingestKey == null || ingestKey.isBlank()) {
                throw new IllegalArgumentException("ingestKey is required (one of the gateway's gateway.ingest_keys)");
            }
            this.ingestKey = ingestKey.trim();
            if (app == null || !app.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("app must be 1-64 letters, digits, _ . -, was " + app);
            }
            this.app = app;
        }

        /** This process's name among the application's instances (default {@code <hostname>-<pid>}); no slash. */
        public Builder instance(String v) {
            if (v == null || v.isBlank() || v.length() > 128 || v.contains("/")) {
                throw new IllegalArgumentException("instance must be 1-128 characters without '/', was " + v);
            }
            instance = v;
            return this;
        }
        /** Where batches wait on disk while the gateway is unreachable; one directory per application process at a time. */
        public Builder spillDir(Path v) { spillDir = Objects.requireNonNull(v, "spillDir"); return this; }
        /** The most bytes kept on disk (default 64 MiB); beyond it the oldest records are dropped and counted. */
        public Builder maxSpillBytes(long v) { maxSpillBytes = atLeast(v, 4096, "maxSpillBytes"); return this; }
        /** The most records per request (default 500, at most {@value #MAX_BATCH}). */
        public Builder batchSize(int v) { batchSize = (int) Math.min(atLeast(v, 1, "batchSize"), MAX_BATCH); return this; }
        /** How long a record may wait for a fuller batch (default 1 s). */
        public Builder flushInterval(Duration v) { flushInterval = positive(v, "flushInterval"); return this; }
        /** How many records may wait in memory (default 10,000); beyond it they are dropped and counted. */
        public Builder queueCapacity(int v) { queueCapacity = (int) atLeast(v, 1, "queueCapacity"); return this; }
        /** Whether requests are gzip-compressed (default true). */
        public Builder compression(boolean v) { compression = v; return this; }
        /** Connect and request timeout (default 10 s). */
        public Builder timeout(Duration v) { timeout = positive(v, "timeout"); return this; }
        /** Wait before the first resend while the gateway is unreachable, doubled up to {@code max} (default 500 ms, 30 s). */
        public Builder backoff(Duration initial, Duration max) {
            initialBackoff = positive(initial, "initial");
            maxBackoff = positive(max, "max");
            return this;
        }
        /** Whether request messages and replies are reported (default false). */
        public Builder logContent(boolean v) { logContent = v; return this; }
        /** Replaces the redaction rules for reported contents (default {@link Redactor#builtIn()}). */
        public Builder redactor(Redactor v) { redactor = Objects.requireNonNull(v, "redactor"); return this; }
        /** Adds a redaction rule: matches of {@code regex} become {@code replacement}. */
        public Builder redact(String regex, String replacement) { redactor = redactor.with(regex, replacement); return this; }

        /** Builds the settings. */
        public ReportSettings build() {
            return new ReportSettings(this);
        }

        private static long atLeast(long v, long min, String name) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + v);
            }
            return v;
        }

        private static Duration positive(Duration v, String name) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + v);
            }
            return v;
        }
    }
}
