package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.logs.CallLogStatistics;
import dev.switchboard.gateway.logs.CallStatsQuery;
import dev.switchboard.gateway.logs.CallStatsRow;
import dev.switchboard.runtime.calllog.FeedbackStore;
import java.time.Instant;

/**
 * {@code GET /v1/stats?group_by=deployment|model|provider&bucket=1m|1h|1d&from=&to=&deployment=&provider=&model=}:
 * per group and UTC time bucket, the number of requests and errors, the error rate, latency percentiles
 * (p50, p95, p99, in milliseconds), tokens and cost; buckets without calls are left out. Defaults: by
 * deployment, hourly, the last 24 hours. Computed by the store in SQL, off the event loop. A store that keeps
 * feedback adds {@code feedback}: per deployment and variant of the same calls, the feedback count, how many had a
 * score, the average score and thumbs up and down (see {@link FeedbackJson}). Stateless and thread-safe.
 *
 * <pre>{"object": "stats", "group_by": "deployment", "bucket": "1h", "from": "…", "to": "…",
 *  "data": [{"group": "support", "bucket_start": "2025-08-15T10:00:00Z", "requests": 120, "errors": 3, "error_rate": 0.025,
 *            "latency_ms": {"p50": 812.0, "p95": 1630.5, "p99": 2400.0},
 *            "input_tokens": 51234, "output_tokens": 20311, "cost_usd": 0.3312}]}</pre>
 */
final class StatsEndpoint implements Endpoint {
    static final String PATH = "/v1/stats";
    private final GatewayContext gw;

    StatsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        LogsEndpoint.query(gw);
        CallLogStatistics stats = gw.observability().statistics();
        if (stats == null) {
            throw GatewayException.notFound(null, "stats_unavailable", "this gateway's call log cannot aggregate (it is not a database)");
        }
        CallStatsQuery q = LogQueries.stats(ex.queryParams(), Instant.now());
        LogWork.run(ex, () -> {
            ObjectNode out = GatewayJson.object().put("object", "stats").put("group_by", q.groupBy().column())
                    .put("bucket", q.bucket().label()).put("from", q.from().toString()).put("to", q.to().toString());
            ArrayNode data = out.putArray("data");
            for (CallStatsRow r : stats.stats(q)) {
                ObjectNode o = data.addObject().put("group", r.group()).put("bucket_start", r.bucketStart().toString())
                        .put("requests", r.requests()).put("errors", r.errors()).put("error_rate", r.errorRate());
                o.putObject("latency_ms").put("p50", r.p50LatencyMs()).put("p95", r.p95LatencyMs()).put("p99", r.p99LatencyMs());
                o.put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens()).put("cost_usd", r.costUsd());
            }
            if (stats instanceof FeedbackStore f) {
                out.set("feedback", FeedbackJson.summaries(f.feedbackSummary(q.filter())));
            }
            return GatewayJson.bytes(out);
        });
    }
}
