package dev.switchboard.runtime.telemetry;

import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * How calls are reported to OpenTelemetry. Immutable and thread-safe.
 *
 * <pre>{@code
 * Switchboard.builder().openTelemetry(otel, TelemetryOptions.defaults().withCaptureContent(true)).build();
 * }</pre>
 *
 * @param captureContent whether message contents go on spans ({@code gen_ai.input.messages},
 *                       {@code gen_ai.output.messages}); off by default since they may hold personal data
 * @param propagator     what injects trace context into provider HTTP requests; null for the
 *                       {@code OpenTelemetry} instance's own text-map propagator, or W3C
 *                       {@code traceparent}/{@code tracestate} when that one is a no-op
 */
public record TelemetryOptions(boolean captureContent, TextMapPropagator propagator) {
    private static final TelemetryOptions DEFAULTS = new TelemetryOptions(false, null);

    /** No content capture; the configured propagator (W3C trace context when none). */
    public static TelemetryOptions defaults() {
        return DEFAULTS;
    }

    /** These options with content capture switched {@code on} or off. */
    public TelemetryOptions withCaptureContent(boolean on) {
        return new TelemetryOptions(on, propagator);
    }

    /** These options with another propagator. */
    public TelemetryOptions withPropagator(TextMapPropagator p) {
        return new TelemetryOptions(captureContent, p);
    }
}
