package dev.switchboard.gateway;

import dev.switchboard.runtime.calllog.CallLogFilter;

/**
 * {@code GET /v1/logs/stream}: a server-sent-event stream of new calls, as the summaries {@code GET /v1/logs}
 * lists, announced once written to the call log (the panel's live tail). Takes the filters of
 * {@code /v1/logs} (time range, limit and cursor are ignored); the same access rules apply ({@link LogsAccess}).
 * Each event is {@code data: {summary}}; {@code data: {"type":"ping"}} is sent at the start and every
 * {@value LogTail#PING_SECONDS} seconds. The stream ends with {@code data: [DONE]} when the gateway drains.
 * Stateless and thread-safe.
 */
final class LogStreamEndpoint implements Endpoint {
    static final String PATH = "/v1/logs/stream";
    private final GatewayContext gw;

    LogStreamEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        LogsEndpoint.query(gw); // 404 when the gateway keeps no searchable log
        CallLogFilter filter = LogQueries.filter(ex.queryParams());
        String feedback = ex.queryParam("feedback");
        // a call is announced as it is logged, before anyone can give feedback on it
        boolean needsFeedback = feedback != null && !feedback.isEmpty() && !feedback.equals("none") || ex.queryParam("min_score") != null;
        gw.observability().tail().subscribe(ex, r -> !needsFeedback && filter.matchesIgnoringTime(r), gw::draining);
    }
}
