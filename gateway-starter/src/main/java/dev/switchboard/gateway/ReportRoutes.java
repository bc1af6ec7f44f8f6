package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The reporting endpoints, {@code POST /v2/logs/ingest} and {@code POST /v2/feedback}, with their own key check
 * ({@link ReportAccess}) made before anything else, so that nothing is learnt about them without a key.
 * Immutable and thread-safe.
 */
final class ReportRoutes {
    private final ReportAccess access;
    private final IngestEndpoint ingest;
    private final FeedbackEndpoint feedback;

    ReportRoutes(GatewayContext gw) {
        this.access = new ReportAccess(gw.settings());
        this.ingest = new IngestEndpoint(gw);
        this.feedback = new FeedbackEndpoint(gw);
    }

    /** Whether {@code path} is served here. */
    static boolean owns(String path) {
        return ReportAccess.owns(path);
    }

    /** Checks the key and serves {@code ex} (a path this {@link #owns}). */
    void serve(Exchange ex, String path) {
        ReportAccess.Reporter who = access.check(ex, path);
        if (!HttpMethod.POST.equals(ex.method())) {
            ex.header(HttpHeaderNames.ALLOW, "POST");
            throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", null, "method_not_allowed",
                    ex.method() + " is not allowed on " + path + " (allowed: POST)");
        }
        if (path.equals(IngestEndpoint.PATH)) {
            ingest.handle(ex);
        } else {
            feedback.handle(ex, who);
        }
    }

    /** Refuses an ingest-only key everywhere else (see {@link ReportAccess#refuseIngestOnly}). */
    void refuseIngestOnly(Exchange ex) {
        access.refuseIngestOnly(ex);
    }
}
