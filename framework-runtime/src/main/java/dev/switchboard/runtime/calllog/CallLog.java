package dev.switchboard.runtime.calllog;

import dev.switchboard.runtime.config.ConfigCredentials;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.telemetry.GenAi;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The call log: what is logged (contents or not, redaction, prices, origin) and the writer that moves
 * records to a {@link CallLogStore} off the request path.
 *
 * <pre>{@code
 * CallLog log = CallLog.builder(new InMemoryCallLogStore(10_000))
 *     .origin("billing-service").redact("\\bACC-\\d{8}\\b", "[ACCOUNT]").build();
 * Switchboard sb = Switchboard.builder().callLog(log).build();   // sb.close() closes the log
 * }</pre>
 *
 * <p>Content logging (request messages and reply) is on by default; e-mail addresses, card numbers and
 * bearer/{@code sk-} tokens are redacted by default; configured API keys are always masked. Thread-safe.
 */
public final class CallLog implements AutoCloseable {
    private final CallLogWriter writer;
    private final CallLogStore store;
    private final String origin;
    private final boolean logContent;
    private final Redactor redactor;
    private final PriceTable prices;
    private final List<String> secrets;
    private volatile RecordAssembler ingest;
    private volatile AutoCloseable metrics;

    private CallLog(Builder b) {
        this.origin = b.origin;
        this.logContent = b.logContent;
        this.redactor = b.redactor;
        this.prices = b.prices;
        this.secrets = List.copyOf(b.secrets);
        this.store = b.store;
        this.writer = b.writer.build();
        this.ingest = assembler(null);
    }

    /** A builder writing to {@code store}. */
    public static Builder builder(CallLogStore store) {
        return new Builder(store);
    }

    /** The observer that logs the engine's calls; {@code config} gives the configuration in force (for its API keys). */
    public CallRecordObserver observer(Supplier<SwitchboardConfig> config) {
        RecordAssembler a = assembler(config);
        ingest = a;
        return new CallRecordObserver(writer, a);
    }

    private RecordAssembler assembler(Supplier<SwitchboardConfig> config) {
        return new RecordAssembler(origin, logContent, redactor, prices, ConfigCredentials.following(config, secrets));
    }

    /**
     * Logs a record made elsewhere (e.g. reported by an application in configuration-management mode); it
     * is cleaned like the engine's own (secrets masked, redaction, content switch) on the writer thread.
     * Never blocks.
     *
     * @return false when it was dropped
     */
    public boolean record(CallRecord r) {
        Objects.requireNonNull(r, "record");
        RecordAssembler a = ingest;
        return writer.offer(() -> a.clean(r));
    }

    /**
     * {@code r} cleaned as {@link #record} would clean it (secrets masked, redaction rules, contents dropped when
     * content logging is off), now, on the calling thread; for hosts that store records themselves (the
     * gateway's {@code /v2/logs/ingest}).
     */
    public CallRecord clean(CallRecord r) {
        return ingest.clean(Objects.requireNonNull(r, "record"));
    }

    /** The store records are written to (for hosts that also query it or keep feedback in it). */
    public CallLogStore store() {
        return store;
    }

    /** The origin stamped on the engine's records. */
    public String origin() {
        return origin;
    }

    /** Records dropped so far (see {@link CallLogWriter#droppedCount()}). */
    public long droppedCount() {
        return writer.droppedCount();
    }

    /** The writer (counters, {@link CallLogWriter#flush}). */
    public CallLogWriter writer() {
        return writer;
    }

    /** The price table costs are computed with. */
    public PriceTable prices() {
        return prices;
    }

    /** Reports the writer's metrics ({@code switchboard.calllog.dropped}, queue size) through {@code otel} until closed. */
    public synchronized void reportTo(OpenTelemetry otel) {
        if (metrics == null) {
            metrics = writer.registerMetrics(otel.meterBuilder(GenAi.SCOPE).build());
        }
    }

    /** Writes what is queued (within the writer's close timeout) and closes the store. Idempotent. */
    @Override
    public void close() {
        AutoCloseable m = metrics;
        if (m != null) {
            try {
                m.close();
            } catch (Exception ignored) {
                // metrics are best effort
            }
        }
        writer.close();
    }

    /** Builds a {@link CallLog}. Not thread-safe. */
    public static final class Builder {
        private final CallLogStore store;
        private final CallLogWriter.Builder writer;
        private String origin = "gateway";
        private boolean logContent = true;
        private Redactor redactor = Redactor.builtIn();
        private PriceTable prices = PriceTable.defaults();
        private final Collection<String> secrets = new ArrayList<>();

        private Builder(CallLogStore store) {
            this.store = store;
            this.writer = CallLogWriter.builder(store);
        }

        /** Who makes the calls: an application name/instance (default {@code gateway}). */
        public Builder origin(String v) { origin = Objects.requireNonNull(v, "origin"); return this; }
        /** Whether request messages and replies are logged (default true). */
        public Builder logContent(boolean v) { logContent = v; return this; }
        /** Replaces the redaction rules (default {@link Redactor#builtIn()}; {@link Redactor#none()} for none). */
        public Builder redactor(Redactor v) { redactor = Objects.requireNonNull(v, "redactor"); return this; }
        /** Adds a redaction rule: matches of {@code regex} become {@code replacement}. */
        public Builder redact(String regex, String replacement) { redactor = redactor.with(regex, replacement); return this; }
        /** Adds a redaction rule: matches of {@code regex} become {@code [REDACTED]}. */
        public Builder redact(String regex) { redactor = redactor.with(regex); return this; }
        /** The price table (default {@link PriceTable#defaults()}). */
        public Builder prices(PriceTable v) { prices = Objects.requireNonNull(v, "prices"); return this; }
        /** Adds a credential to mask besides the configured API keys. */
        public Builder secret(String v) { if (v != null && !v.isEmpty()) { secrets.add(v); } return this; }
        /** Queue capacity (default 10,000). */
        public Builder capacity(int v) { writer.capacity(v); return this; }
        /** Largest batch per store write (default 500). */
        public Builder batchSize(int v) { writer.batchSize(v); return this; }
        /** Store attempts per batch (default 5). */
        public Builder maxAttempts(int v) { writer.maxAttempts(v); return this; }
        /** Retry backoff of store writes (default 100 ms doubling to 5 s). */
        public Builder backoff(Duration initial, Duration max) { writer.backoff(initial, max); return this; }
        /** How long the writer lets a batch gather before writing it (default 0); see {@link CallLogWriter.Builder#linger}. */
        public Builder linger(Duration v) { writer.linger(Objects.requireNonNull(v, "linger")); return this; }
        /** How long closing waits for queued records (default 10 s). */
        public Builder closeTimeout(Duration v) { writer.closeTimeout(v); return this; }

        /** Builds the log and starts its writer thread. */
        public CallLog build() {
            return new CallLog(this);
        }
    }
}
