package dev.switchboard.gateway.metrics;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;

/**
 * Joins the caller's trace: extracts the trace context of an incoming request ({@code traceparent} and
 * {@code tracestate} with W3C trace context, or whatever the configured propagator reads) and makes it
 * current, so that the call span the engine starts becomes its child. Immutable and thread-safe.
 *
 * <pre>{@code
 * try (Scope ignored = traces.join(request.headers())) {
 *     future = engine.call(invocation);       // the call span's parent is the caller's span
 * }
 * }</pre>
 */
public final class TraceContexts {
    private static final TextMapGetter<HttpHeaders> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private final TextMapPropagator propagator;

    /** Reads with {@code propagator}; with W3C trace context when it is a no-op (reads no field). */
    public TraceContexts(TextMapPropagator propagator) {
        Objects.requireNonNull(propagator, "propagator");
        this.propagator = propagator.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : propagator;
    }

    /**
     * Makes the trace context of {@code headers} current on this thread until the scope is closed; a no-op
     * scope when the request carries none of the propagator's fields.
     */
    public Scope join(HttpHeaders headers) {
        for (String field : propagator.fields()) {
            if (headers.contains(field)) {
                return propagator.extract(Context.root(), headers, GETTER).makeCurrent();
            }
        }
        return Scope.noop();
    }
}
