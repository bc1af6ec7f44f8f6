package dev.switchboard.gateway.metrics;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders what a {@link PrometheusMetricReader} collects in the Prometheus text exposition format 0.0.4, for the
 * gateway's {@code GET /metrics}: OpenTelemetry names with dots become underscores, units become suffixes
 * ({@code _seconds}), counters get {@code _total}. Thread-safe.
 */
public final class PrometheusText {
    /** The response's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusText() {
    }

    /** The current values of every metric {@code reader} sees, as text. */
    public static byte[] render(PrometheusMetricReader reader) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, reader.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
