package dev.switchboard.gateway;

import dev.switchboard.gateway.metrics.PrometheusText;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format, for a scraper: the engine's GenAI metrics
 * ({@code gen_ai_client_operation_duration_seconds}, {@code gen_ai_client_token_usage}, …), the call log's
 * ({@code switchboard_calllog_dropped_total}, {@code switchboard_calllog_queue_size}) and the gateway's HTTP
 * metrics ({@code http_server_request_duration_seconds}, {@code http_server_active_requests}). Rendered on the
 * event loop (collecting is in memory and quick). Stateless and thread-safe.
 */
final class MetricsEndpoint implements Endpoint {
    static final String PATH = "/metrics";
    private final GatewayContext gw;

    MetricsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        ex.send(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE, gw.observability().telemetry().prometheus());
    }
}
