package dev.switchboard.runtime.report;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackBuilder;
import dev.switchboard.runtime.calllog.FeedbackStore;
import dev.switchboard.runtime.telemetry.GenAi;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Reports an application's calls and feedback to a gateway (configuration-management mode): a {@link CallLog}
 * whose origin is {@code app/instance} and whose store is a reporting store (see {@link ReportSettings}), plus
 * feedback sent to {@code POST /v2/feedback}. Created by {@code Switchboard.Builder.reportTo}, which logs every
 * call through {@link #callLog()} and closes the reporter with the {@code Switchboard}; usable on its own too.
 *
 * <pre>{@code
 * Reporter r = Reporter.start(ReportSettings.builder(URI.create("http://gw:8080"), ingestKey, "billing").build());
 * r.callLog().record(record);      // never blocks
 * r.droppedCount();                // records lost: queue full, spill bound passed, refused by the gateway
 * r.close();                       // sends what is queued, spills the rest for the next run
 * }</pre>
 *
 * <p>Nothing here blocks or fails an application's call. Thread-safe.
 */
public final class Reporter implements AutoCloseable {
    private final ReportSettings settings;
    private final IngestClient client;
    private final ReportingStore store;
    private final CallLog log;
    private volatile AutoCloseable metrics;

    private Reporter(ReportSettings settings) {
        this.settings = settings;
        this.client = new IngestClient(settings);
        this.store = new ReportingStore(settings, client);
        this.log = CallLog.builder(store).origin(settings.origin()).logContent(settings.logContent())
                .redactor(settings.redactor()).capacity(settings.queueCapacity()).batchSize(settings.batchSize())
                .maxAttempts(1).closeTimeout(settings.timeout().multipliedBy(3)).build();
    }

    /** Starts reporting: opens the spill directory (picking up what an earlier run left) and starts the sender. */
    public static Reporter start(ReportSettings settings) {
        return new Reporter(Objects.requireNonNull(settings, "settings"));
    }

    /** The settings. */
    public ReportSettings settings() {
        return settings;
    }

    /** The call log whose records are reported ({@code CallLog.observer} logs an engine's calls). */
    public CallLog callLog() {
        return log;
    }

    /** Records lost so far: the call log's queue full, the memory queue full, the spill bound passed, refused by the gateway. */
    public long droppedCount() {
        return log.droppedCount() + store.droppedCount();
    }

    /** Records the gateway took so far (resends included). */
    public long sentCount() {
        return store.sentCount();
    }

    /** Records waiting on disk for the gateway. */
    public long spilledCount() {
        return store.spilledCount();
    }

    /** The spill directory in use (the configured one, or a sub-directory when it was locked), or null in memory mode. */
    public Path spillDirectory() {
        return store.spillDirectory();
    }

    /**
     * Sends everything logged so far now (not waiting for the flush interval or backoff) and waits until the
     * gateway has it; for tests and orderly shutdown, never on a request path.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return log.writer().flush(timeout) && store.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * Sends a feedback to the gateway ({@code POST /v2/feedback}, stamped with this application's origin),
     * retrying twice when the gateway is unavailable.
     *
     * @return completes when the gateway stored it; fails with a {@link SwitchboardException} when it did not
     */
    public CompletableFuture<Void> sendFeedback(Feedback feedback) {
        Feedback f = feedback.source() == null ? feedback.withSource(settings.origin()) : feedback;
        return attempt(f, 1);
    }

    private CompletableFuture<Void> attempt(Feedback f, int n) {
        return client.post(f).thenCompose(r -> {
            if (r.kind() == IngestClient.Kind.OK) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (r.kind() == IngestClient.Kind.UNAVAILABLE && n < 3) {
                long delay = settings.initialBackoff().toMillis() << (n - 1);
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> attempt(f, n + 1));
            }
            return CompletableFuture.failedFuture(new SwitchboardException("the gateway did not take the feedback on call "
                    + f.callId() + " (" + (r.status() == 0 ? "" : r.status() + " ") + r.message() + ")"));
        });
    }

    /**
     * Feedback on {@code callId} going to {@code local}'s store when it keeps feedback and to {@code remote} when
     * given (both when both are); for {@code Switchboard.feedback}.
     *
     * @param local  a call log, or null
     * @param remote a reporter, or null
     * @throws IllegalStateException when neither can take feedback
     */
    public static FeedbackBuilder feedback(String callId, CallLog local, Reporter remote) {
        FeedbackStore store = local != null && local.store() instanceof FeedbackStore f ? f : null;
        if (store == null && remote == null) {
            throw new IllegalStateException("feedback has nowhere to go: configure reportTo(…) or a callLog whose store keeps feedback");
        }
        String source = remote != null ? remote.settings.origin() : local.origin();
        return new FeedbackBuilder(callId, source, f -> CompletableFuture.allOf(
                remote == null ? CompletableFuture.completedFuture(null) : remote.sendFeedback(f),
                store == null ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> {
                    try {
                        store.addFeedback(f);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                })));
    }

    /**
     * Reports {@code switchboard.report.dropped} (counter, records lost) and {@code switchboard.report.spilled}
     * (up-down counter, records waiting on disk) through {@code otel} until the reporter closes.
     */
    public synchronized void reportTo(OpenTelemetry otel) {
        if (metrics != null) {
            return;
        }
        Meter meter = otel.meterBuilder(GenAi.SCOPE).build();
        ObservableLongCounter d = meter.counterBuilder("switchboard.report.dropped").setUnit("{record}")
                .setDescription("Call records not reported: queue full, spill bound passed, or refused by the gateway.")
                .buildWithCallback(m -> m.record(droppedCount()));
        ObservableLongUpDownCounter w = meter.upDownCounterBuilder("switchboard.report.spilled").setUnit("{record}")
                .setDescription("Call records waiting on disk for the gateway.")
                .buildWithCallback(m -> m.record(spilledCount()));
        metrics = () -> {
            d.close();
            w.close();
        };
    }

    /** Sends what is queued while the gateway answers and spills the rest for the next run. Idempotent. */
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
        log.close();
    }
}
