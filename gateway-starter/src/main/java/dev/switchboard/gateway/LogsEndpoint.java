package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallLogQuery;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The call log's search API.
 *
 * <pre>
 * GET /v1/logs?deployment=&amp;variant=&amp;provider=&amp;model=&amp;status=success|error&amp;from=&amp;to=&amp;metadata.&lt;key&gt;=&lt;value&gt;
 *             &amp;min_latency_ms=&amp;q=&amp;origin=&amp;trace_id=&amp;feedback=up|down|any|none&amp;min_score=&amp;limit=50&amp;cursor=
 *     → {"object": "list", "data": [summary…], "has_more": true, "next_cursor": "…"}   newest first
 * GET /v1/logs/{id}
 *     → the whole record: request messages, reply, attempts, feedback                     404 when unknown
 * </pre>
 *
 * A summary is the record without {@code request_messages} and {@code attempts} (it has {@code attempt_count}),
 * its {@code reply} cut to {@value #PREVIEW} characters. Queries run off the event loop ({@link LogWork}). 404
 * {@code call_log_disabled} when the gateway keeps no searchable call log. Stateless and thread-safe.
 */
final class LogsEndpoint {
    static final String ROOT = "/v1/logs";
    static final String BY_ID = "/v1/logs/";
    static final int PREVIEW = 500;
    private final GatewayContext gw;

    LogsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void list(Exchange ex) {
        CallLogQuery query = query(gw);
        CallLogFilter filter = LogQueries.filter(ex.queryParams());
        FeedbackFilter feedback = FeedbackJson.filter(ex.queryParams());
        FeedbackStore withFeedback = feedback.isEmpty() ? null : FeedbackJson.store(query);
        LogWork.run(ex, () -> {
            CallLogPage page;
            try {
                page = withFeedback == null ? query.search(filter) : withFeedback.search(filter, feedback);
            } catch (IllegalArgumentException e) {
                throw GatewayException.badRequest("cursor", e.getMessage());
            }
            ObjectNode out = GatewayJson.object().put("object", "list");
            ArrayNode data = out.putArray("data");
            page.records().forEach(r -> data.add(summary(r)));
            out.put("has_more", page.nextCursor() != null);
            out.put("next_cursor", page.nextCursor());
            return GatewayJson.bytes(out);
        });
    }

    void byId(Exchange ex) {
        CallLogQuery query = query(gw);
        String id = URLDecoder.decode(ex.path().substring(BY_ID.length()), StandardCharsets.UTF_8);
        LogWork.run(ex, () -> {
            CallRecord r = query.find(id).orElseThrow(() -> GatewayException.notFound(null, "call_not_found",
                    "no call '" + id + "' in the call log (it may be older than the retention, or not written yet)"));
            ObjectNode out = CallRecordJson.mapper().valueToTree(r);
            out.put("object", "call");
            if (query instanceof FeedbackStore f) {
                out.set("feedback", FeedbackJson.list(f.feedback(id)));
            }
            return GatewayJson.bytes(out);
        });
    }

    static ObjectNode summary(CallRecord r) {
        ObjectNode o = CallRecordJson.mapper().valueToTree(r);
        o.remove("request_messages");
        o.remove("attempts");
        o.put("attempt_count", r.attempts().size());
        if (r.reply() != null && r.reply().length() > PREVIEW) {
            o.put("reply", r.reply().substring(0, PREVIEW)).put("reply_truncated", true);
        }
        return o;
    }

    /** The gateway's searchable log. @throws GatewayException 404 when there is none */
    static CallLogQuery query(GatewayContext gw) {
        CallLogQuery q = gw.observability().query();
        if (q == null) {
            throw GatewayException.notFound(null, "call_log_disabled",
                    "this gateway keeps no searchable call log (gateway.call_log.enabled is false, or the Switchboard was passed in built)");
        }
        return q;
    }
}
