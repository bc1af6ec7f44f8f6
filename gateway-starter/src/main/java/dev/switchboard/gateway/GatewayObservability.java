package dev.switchboard.gateway;

import dev.switchboard.gateway.logs.CallLogDatabase;
import dev.switchboard.gateway.logs.CallLogSettings;
import dev.switchboard.gateway.logs.CallLogStatistics;
import dev.switchboard.gateway.logs.JdbcCallLogStore;
import dev.switchboard.gateway.metrics.GatewayMetrics;
import dev.switchboard.gateway.metrics.GatewayTelemetry;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.CallLogQuery;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.time.Duration;

/**
 * The gateway's telemetry and call log: {@link #attach} gives a {@link Switchboard.Builder} the OpenTelemetry
 * instance and, unless {@code gateway.call_log.enabled} is false, a {@link CallLog} with origin {@code gateway}
 * writing to the configured database ({@link CallLogSettings}); the endpoints read the log through
 * {@link #query()} and {@link #statistics()}, and {@code /metrics} through {@link #telemetry()}. A
 * {@link Switchboard} given to the gateway already built is served as it is: it has no gateway call log, and a
 * builder that has its own call log or OpenTelemetry keeps them.
 * Thread-safe after {@link #started}.
 */
final class GatewayObservability implements AutoCloseable {
    /**
     * How long the writer lets a batch gather, and the largest batch: one database transaction per many calls under
     * load (a transaction's fixed costs, the statistics rows and the index pages rewritten at commit, are shared by
     * its calls). Not longer: a record that waits outlives the young generation and costs the collector more than
     * a larger batch saves (500 ms and 5,000 measured worse than 200 ms, docs/benchmarks.md "Call log overhead").
     */
    static final Duration LINGER = Duration.ofMillis(200);
    static final int BATCH = 2_000;
    private final GatewayTelemetry telemetry;
    private final LogTail tail = new LogTail();
    private volatile CallLog callLog;
    private volatile boolean ownsCallLog;
    private volatile CallLogQuery query;
    private volatile CallLogStatistics statistics;
    private volatile GatewayMetrics metrics;
    private volatile AutoCloseable callLogMetrics;

    private GatewayObservability(GatewayTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** The telemetry of {@code options}: the host's OpenTelemetry when given, else one configured from {@code OTEL_*}. */
    static GatewayObservability create(GatewayOptions options) {
        return new GatewayObservability(options.openTelemetry() != null
                ? GatewayTelemetry.around(options.openTelemetry()) : GatewayTelemetry.autoconfigured());
    }

    /**
     * Gives {@code b} the OpenTelemetry instance and the configured call log, unless it has its own: a host's
     * OpenTelemetry is left in place, and so is a host's call log (then searched by {@code /v1/logs} when its store
     * is a {@link CallLogQuery}).
     *
     * @throws dev.switchboard.api.ConfigException when {@code gateway.call_log}, {@code gateway.prices} or {@code gateway.telemetry} is invalid
     */
    Switchboard.Builder attach(Switchboard.Builder b) {
        SwitchboardConfig pre = b.loader().load();
        String source = String.join(" + ", pre.sources());
        CallLogSettings s = CallLogSettings.from(pre.gateway(), source);
        TelemetrySettings t = TelemetrySettings.from(pre.gateway(), source);
        boolean ours = b.givenOpenTelemetry().isEmpty();
        if (ours) {
            b.openTelemetry(telemetry.openTelemetry(), t.options());
        }
        CallLog given = b.givenCallLog().orElse(null);
        if (given != null) {
            use(given, given.store(), ours);
        } else if (s.enabled()) {
            JdbcCallLogStore st = CallLogDatabase.open(s, source);
            CallLog.Builder lb = CallLog.builder(tail.wrap(st)).origin("gateway").logContent(s.captureContent()).prices(s.prices())
                    .capacity(s.queueCapacity()).linger(LINGER).batchSize(BATCH);
            s.redact().forEach(lb::redact);
            CallLog log = lb.build();
            ownsCallLog = true;
            use(log, st, ours);
            b.callLog(log);
        }
        return b;
    }

    private void use(CallLog log, CallLogStore store, boolean engineReportsHere) {
        if (!(engineReportsHere && telemetry.engineMetricsOnEndpoint())) {
            callLogMetrics = log.writer().registerMetrics(telemetry.meter()); // else the engine registers them on /metrics' SDK
        }
        query = store instanceof CallLogQuery q ? q : null;
        statistics = store instanceof CallLogStatistics st ? st : null;
        callLog = log;
    }

    /** Starts the gateway's own metrics once its context exists. */
    void started(GatewayContext gw) {
        metrics = new GatewayMetrics(telemetry.meter(), () -> gw.inFlight().count());
    }

    /** The gateway's HTTP metrics, or null before {@link #started}. */
    GatewayMetrics metrics() {
        return metrics;
    }

    GatewayTelemetry telemetry() {
        return telemetry;
    }

    /** The live tail of the call log (announces written records; see {@link LogStreamEndpoint}). */
    LogTail tail() {
        return tail;
    }

    /** The call log attached, or null. */
    CallLog callLog() {
        return callLog;
    }

    /** The searchable call log, or null when none is attached or its store cannot search. */
    CallLogQuery query() {
        return query;
    }

    /** The call log's aggregation, or null when none is attached or its store cannot aggregate. */
    CallLogStatistics statistics() {
        return statistics;
    }

    /** Closes the call log attached to a {@link Switchboard} that then failed to build (it would not close it). */
    void abandon() {
        CallLog log = callLog;
        if (log != null && ownsCallLog) {
            log.close();
        }
    }

    /** Stops the gateway's metrics and shuts down the telemetry it created (call after the Switchboard is closed). */
    @Override
    public void close() {
        tail.close();
        GatewayMetrics m = metrics;
        if (m != null) {
            m.close();
        }
        AutoCloseable c = callLogMetrics;
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        telemetry.close();
    }
}
