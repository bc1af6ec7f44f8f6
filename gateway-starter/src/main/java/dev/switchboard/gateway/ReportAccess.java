package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Who may report to the gateway, and what an ingest key may not do.
 *
 * <ul>
 *   <li>{@code POST /v2/logs/ingest}: one of {@code gateway.ingest_keys}, and nothing else (a client or admin key
 *       gets 401 unless it is an ingest key too); with no ingest key configured ingest is off (a client or admin key
 *       gets 403, any other 401), unless the gateway has no key at all (then anyone: it listens on loopback only).</li>
 *   <li>{@code POST /v2/feedback}: an ingest key (an application) or an admin key (or a panel session); with no
 *       key at all, anyone.</li>
 *   <li>Every other endpoint but {@code /health*}: an ingest key that is not also a client or admin key gets 401
 *       {@code ingest_key_only}, whatever the endpoint would accept otherwise.</li>
 * </ul>
 *
 * Keys are compared as {@link ApiKeys} do (SHA-256, constant time). Immutable and thread-safe.
 */
final class ReportAccess {
    private final ApiKeys keys;
    private final ApiKeys adminKeys;
    private final ApiKeys ingestKeys;

    ReportAccess(GatewaySettings settings) {
        this.keys = settings.keys();
        this.adminKeys = settings.adminKeys();
        this.ingestKeys = settings.ingestKeys();
    }

    /** Whether {@code path} is one of the paths checked here. */
    static boolean owns(String path) {
        return path.equals(IngestEndpoint.PATH) || path.equals(FeedbackEndpoint.PATH);
    }

    /** Whether no key of any kind is configured. */
    private boolean open() {
        return keys.isEmpty() && adminKeys.isEmpty() && ingestKeys.isEmpty();
    }

    /**
     * Checks the key for {@code path} (one of {@link #owns}).
     *
     * @return who reports: {@link Reporter#APPLICATION} for an ingest key (or an open gateway), {@link Reporter#ADMIN}
     * @throws GatewayException 401 or 403
     */
    Reporter check(Exchange ex, String path) {
        String k = Routes.presentedKey(ex);
        boolean ingest = k != null && ingestKeys.accepts(k);
        if (path.equals(IngestEndpoint.PATH)) {
            if (ingest || open()) {
                return Reporter.APPLICATION;
            }
            if (k != null && ingestKeys.isEmpty() && (keys.accepts(k) || adminKeys.accepts(k))) {
                throw new GatewayException(HttpResponseStatus.FORBIDDEN, "permission_error", null, "ingest_disabled",
                        "ingest is off: configure gateway.ingest_keys (sha256 hashes, printed by --hash-key <key>)");
            }
            throw k == null ? missing() : invalid("invalid ingest key");
        }
        if (ingest) {
            return Reporter.APPLICATION;
        }
        if (ex.panelSession() != null || k != null && adminKeys.accepts(k)) {
            return Reporter.ADMIN;
        }
        if (open()) {
            return Reporter.APPLICATION;
        }
        throw k == null ? missing() : invalid("invalid API key: feedback takes an ingest key or an admin key");
    }

    /** Refuses an ingest-only key on any other endpoint. @throws GatewayException 401 {@code ingest_key_only} */
    void refuseIngestOnly(Exchange ex) {
        if (ingestKeys.isEmpty()) {
            return;
        }
        String k = Routes.presentedKey(ex);
        if (k != null && ingestKeys.accepts(k) && !keys.accepts(k) && !adminKeys.accepts(k)) {
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "ingest_key_only",
                    "this key may only report call records and feedback (POST /v2/logs/ingest, POST /v2/feedback)");
        }
    }

    /** Who sent a report. */
    enum Reporter {
        /** an application, with an ingest key */
        APPLICATION,
        /** an operator, with an admin key or a panel session */
        ADMIN
    }

    private static GatewayException missing() {
        return new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "missing_api_key",
                "missing API key: send it as 'Authorization: Bearer <key>'");
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "invalid_api_key", message);
    }
}
