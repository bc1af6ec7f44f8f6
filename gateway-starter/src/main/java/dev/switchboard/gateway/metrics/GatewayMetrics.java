package dev.switchboard.gateway.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The gateway's own HTTP metrics, named as the OpenTelemetry HTTP semantic conventions name them:
 * {@code http.server.request.duration} (histogram, seconds; its count is the number of requests) by
 * {@code http.request.method}, {@code http.route} (the route template, never the raw path) and
 * {@code http.response.status_code}; {@code http.server.active_requests} (requests being served). In
 * Prometheus: {@code http_server_request_duration_seconds_count{http_route="/v1/chat/completions",…}} and
 * {@code http_server_active_requests}. Thread-safe; recording allocates nothing once a combination of
 * attributes has been seen.
 */
public final class GatewayMetrics implements AutoCloseable {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final List<Double> BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
            30.0, 60.0);
    private final DoubleHistogram duration;
    private final ObservableLongUpDownCounter active;
    private final ConcurrentMap<Key, Attributes> attributes = new ConcurrentHashMap<>();

    /**
     * An {@link #attributes} key, made per request. Its hash and equality are written out (docs/design.md, "Map keys
     * made per call").
     */
    private record Key(String method, String route, int status) {
        @Override
        public int hashCode() {
            return 31 * (31 * Objects.hashCode(method) + Objects.hashCode(route)) + status;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && status == k.status && Objects.equals(method, k.method) && Objects.equals(route, k.route);
        }
    }

    /**
     * @param meter    where the instruments are created
     * @param inFlight the number of requests being served, read at each collection
     */
    public GatewayMetrics(Meter meter, LongSupplier inFlight) {
        duration = meter.histogramBuilder("http.server.request.duration").setUnit("s")
                .setDescription("Duration of HTTP server requests (streams: until their last event).")
                .setExplicitBucketBoundariesAdvice(BUCKETS).build();
        active = meter.upDownCounterBuilder("http.server.active_requests").setUnit("{request}")
                .setDescription("Number of active HTTP server requests.")
                .buildWithCallback(m -> m.record(inFlight.getAsLong()));
    }

    /**
     * Records one answered request.
     *
     * @param method the HTTP method
     * @param route  the route template ({@code /v1/logs/{id}}), or null when no route matched
     * @param status the response status, 0 when none was sent
     * @param nanos  how long it took
     */
    public void requestEnded(String method, String route, int status, long nanos) {
        Attributes a = attributes.get(new Key(method, route, status));
        if (a == null) {
            a = attributes.computeIfAbsent(new Key(method, route, status), k -> {
                var b = Attributes.builder().put(METHOD, k.method());
                if (k.route() != null) {
                    b.put(ROUTE, k.route());
                }
                if (k.status() > 0) {
                    b.put(STATUS, (long) k.status());
                }
                return b.build();
            });
        }
        duration.record(nanos / 1e9, a);
    }

    /** Stops reporting the active-request gauge. */
    @Override
    public void close() {
        active.close();
    }
}
