package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.calllog.CallLogQuery;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackStore;
import dev.switchboard.runtime.calllog.FeedbackSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feedback in the call-log endpoints: the {@code feedback} and {@code min_score} parameters of {@code GET /v1/logs},
 * the {@code feedback} list of {@code GET /v1/logs/{id}} and the {@code feedback} summary of {@code GET /v1/stats}.
 * Errors are 400 naming the parameter. Stateless and thread-safe.
 *
 * <pre>
 * GET /v1/logs?feedback=up|down|any|none&amp;min_score=4      min_score: the call's average score is at least 4
 * GET /v1/stats → "feedback": [{"deployment": "support", "variant": "default", "count": 12, "scored": 9,
 *                               "average_score": 4.1, "thumbs_up": 8, "thumbs_down": 2}]
 * </pre>
 */
final class FeedbackJson {
    private FeedbackJson() {
    }

    /** The feedback criteria of a {@code /v1/logs} request. */
    static FeedbackFilter filter(Map<String, List<String>> q) {
        String presence = one(q, "feedback");
        FeedbackFilter.Presence p = null;
        if (presence != null) {
            try {
                p = FeedbackFilter.Presence.valueOf(presence.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw GatewayException.badRequest("feedback", "feedback must be up, down, any or none, was '" + presence + "'");
            }
        }
        String min = one(q, "min_score");
        Double minScore = null;
        if (min != null) {
            try {
                minScore = Double.parseDouble(min);
            } catch (NumberFormatException e) {
                minScore = Double.NaN;
            }
            if (!Double.isFinite(minScore)) {
                throw GatewayException.badRequest("min_score", "min_score must be a number, was '" + min + "'");
            }
        }
        return new FeedbackFilter(p, minScore);
    }

    /** {@code query} as a feedback store. @throws GatewayException 400 when it cannot filter by feedback */
    static FeedbackStore store(CallLogQuery query) {
        if (query instanceof FeedbackStore f) {
            return f;
        }
        throw GatewayException.badRequest("feedback", "this gateway's call log keeps no feedback");
    }

    /** The feedback on one call, for {@code /v1/logs/{id}}. */
    static ArrayNode list(List<Feedback> feedback) {
        ArrayNode out = GatewayJson.mapper().createArrayNode();
        feedback.forEach(f -> out.add((ObjectNode) CallRecordJson.mapper().valueToTree(f)));
        return out;
    }

    /** The summaries per deployment and variant, for {@code /v1/stats}. */
    static ArrayNode summaries(List<FeedbackSummary> summaries) {
        ArrayNode out = GatewayJson.mapper().createArrayNode();
        for (FeedbackSummary s : summaries) {
            ObjectNode o = out.addObject().put("deployment", s.deployment()).put("variant", s.variant()).put("count", s.count())
                    .put("scored", s.scored());
            if (s.averageScore() == null) {
                o.putNull("average_score");
            } else {
                o.put("average_score", s.averageScore());
            }
            o.put("thumbs_up", s.thumbsUp()).put("thumbs_down", s.thumbsDown());
        }
        return out;
    }

    private static String one(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw GatewayException.badRequest(name, "give '" + name + "' once");
        }
        return v.get(0);
    }
}
