package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Who may read the call log ({@code /v1/logs}, {@code /v1/stats}) and the metrics ({@code /metrics}).
 *
 * <ul>
 *   <li>Call log: with {@code gateway.admin_keys} configured, an admin key; with client keys but no admin key,
 *       nobody (403: calls of every client are in the log); with no key at all, anyone (the gateway then
 *       listens on loopback only).</li>
 *   <li>Metrics: any configured key, client or admin; with no key at all, anyone.</li>
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class LogsAccess {
    private final ApiKeys keys;
    private final ApiKeys adminKeys;

    LogsAccess(GatewaySettings settings) {
        this.keys = settings.keys();
        this.adminKeys = settings.adminKeys();
    }

    /** Whether {@code path} is one of the paths checked here rather than with the client keys. */
    static boolean owns(String path) {
        return path.equals(LogsEndpoint.ROOT) || path.startsWith(LogsEndpoint.BY_ID) || path.equals(StatsEndpoint.PATH)
                || path.equals(MetricsEndpoint.PATH);
    }

    /** Checks the request's key for {@code path}. @throws GatewayException 401 or 403 */
    void check(Exchange ex, String path) {
        if (path.equals(MetricsEndpoint.PATH)) {
            if (keys.isEmpty() && adminKeys.isEmpty()) {
                return;
            }
            String k = Routes.presentedKey(ex);
            if (k == null) {
                throw missing();
            }
            if (!keys.accepts(k) && !adminKeys.accepts(k)) {
                throw invalid();
            }
            return;
        }
        if (ex.panelSession() != null) {
            return; // the panel's session cookie stands for an admin key
        }
        if (adminKeys.isEmpty()) {
            if (keys.isEmpty()) {
                return;
            }
            throw new GatewayException(HttpResponseStatus.FORBIDDEN, "permission_error", null, "admin_disabled",
                    "the call log needs an admin key: configure gateway.admin_keys (sha256 hashes, printed by --hash-key <key>)");
        }
        String k = Routes.presentedKey(ex);
        if (k == null) {
            throw missing();
        }
        if (!adminKeys.accepts(k)) {
            throw invalid();
        }
    }

    private static GatewayException missing() {
        return new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "missing_api_key",
                "missing API key: send it as 'Authorization: Bearer <key>'");
    }

    private static GatewayException invalid() {
        return new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "invalid_api_key", "invalid API key");
    }
}
