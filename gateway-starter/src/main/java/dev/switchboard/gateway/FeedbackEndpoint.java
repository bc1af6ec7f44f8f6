package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v2/feedback}: feedback on a call, from an application (ingest key) or an operator (admin key, panel).
 *
 * <pre>
 * {"call_id": "…", "thumbs": "up", "score": 4.5, "comment": "…", "tags": ["billing"], "id": "fb_…" (optional)}
 *   → {"object": "feedback", "id": "fb_…", "call_id": "…", "stored": true}      stored false: that id was stored already
 * </pre>
 *
 * At least one of {@code score}, {@code thumbs} and {@code comment}; a call may get several feedbacks, and feedback
 * may arrive before the call's record. {@code created_at} (ISO-8601) is taken when given. The source is set here,
 * never taken from the body: the application's origin ({@code x-switchboard-app} / {@code x-switchboard-instance})
 * or {@code admin}. Errors are 400 naming the field; 404 {@code feedback_unavailable}
 * when the call log cannot keep feedback. Stored off the event loop. Stateless and thread-safe.
 */
final class FeedbackEndpoint {
    static final String PATH = "/v2/feedback";
    private static final Set<String> FIELDS = Set.of("id", "call_id", "score", "thumbs", "comment", "tags", "created_at", "source");
    private final GatewayContext gw;

    FeedbackEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void handle(Exchange ex, ReportAccess.Reporter who) {
        IngestEndpoint.callLog(gw);
        if (!(gw.observability().query() instanceof FeedbackStore store)) {
            throw GatewayException.notFound(null, "feedback_unavailable", "this gateway's call log cannot keep feedback");
        }
        ObjectNode body = GatewayJson.parseObject(GzipBodies.body(ex, gw.settings().maxBodyBytes()));
        String origin = IngestEndpoint.headerOrigin(ex);
        Feedback f = read(body, who == ReportAccess.Reporter.ADMIN ? "admin" : origin == null ? "application" : origin);
        LogWork.run(ex, () -> {
            boolean fresh = store.addFeedback(f);
            return GatewayJson.bytes(GatewayJson.object().put("object", "feedback").put("id", f.id()).put("call_id", f.callId())
                    .put("stored", fresh));
        });
    }

    static Feedback read(ObjectNode body, String source) {
        body.fieldNames().forEachRemaining(k -> {
            if (!FIELDS.contains(k)) {
                throw GatewayException.badRequest(k, "unknown field '" + k + "' (known: " + FIELDS + ")");
            }
        });
        Feedback.Builder b = Feedback.builder(text(body, "call_id", true)).id(text(body, "id", false)).comment(text(body, "comment", false))
                .source(source);
        String created = text(body, "created_at", false);
        if (created != null) {
            try {
                b.createdAt(java.time.Instant.parse(created));
            } catch (java.time.format.DateTimeParseException e) {
                throw GatewayException.badRequest("created_at", "created_at must be an ISO-8601 instant, was '" + created + "'");
            }
        }
        JsonNode score = body.get("score");
        if (score != null && !score.isNull()) {
            if (!score.isNumber()) {
                throw GatewayException.badRequest("score", "score must be a number");
            }
            b.score(score.doubleValue());
        }
        String thumbs = text(body, "thumbs", false);
        if (thumbs != null) {
            try {
                b.thumbs(Feedback.Thumbs.parse(thumbs));
            } catch (IllegalArgumentException e) {
                throw GatewayException.badRequest("thumbs", e.getMessage());
            }
        }
        JsonNode tags = body.get("tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isArray()) {
                throw GatewayException.badRequest("tags", "tags must be a list of strings");
            }
            List<String> t = new ArrayList<>();
            for (int i = 0; i < tags.size(); i++) {
                if (!tags.get(i).isTextual()) {
                    throw GatewayException.badRequest("tags[" + i + "]", "tags[" + i + "] must be a string");
                }
                t.add(tags.get(i).textValue());
            }
            b.tags(t);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(':');
            throw GatewayException.badRequest(colon > 0 ? m.substring(0, colon) : null, m);
        }
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw GatewayException.badRequest(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw GatewayException.badRequest(field, field + " must be a string");
        }
        return v.textValue();
    }
}
