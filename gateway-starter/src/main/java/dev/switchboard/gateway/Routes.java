package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The route table: path and method to {@link Endpoint}, with API-key checks on every path except
 * {@code /health*}. Unknown paths get 404, known paths with another method 405 (with {@code Allow}).
 * Immutable after construction and thread-safe.
 */
final class Routes {
    static final String MODELS_PREFIX = "/v1/models/";
    private final Map<String, Map<HttpMethod, Endpoint>> routes = new LinkedHashMap<>();
    private final Map<HttpMethod, Endpoint> modelById;
    private final Map<HttpMethod, Endpoint> logById;
    private final LogsAccess logsAccess;
    private final ApiKeys keys;
    private final AdminDeploymentsEndpoint admin;
    private final Panel panel;
    private final ReportRoutes reports;

    Routes(GatewayContext gw) {
        this.keys = gw.settings().keys();
        ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(gw);
        ModelsEndpoint models = new ModelsEndpoint(gw);
        DeploymentsEndpoint deployments = new DeploymentsEndpoint(gw);
        HealthEndpoint health = new HealthEndpoint(gw);
        add(HttpMethod.POST, "/v1/chat/completions", chat);
        add(HttpMethod.POST, "/v1/embeddings", new EmbeddingsEndpoint(gw));
        add(HttpMethod.GET, "/v1/models", models::list);
        add(HttpMethod.POST, "/v2/deployments/invoke", deployments::invoke);
        add(HttpMethod.POST, "/v2/deployments/get_config", deployments::getConfig);
        add(HttpMethod.GET, "/v2/deployments/export", new DeploymentExportEndpoint(gw));
        admin = new AdminDeploymentsEndpoint(gw); // its own admin-key check, under /v2/admin/deployments
        add(HttpMethod.GET, "/health", health::health);
        add(HttpMethod.GET, "/health/live", health::live);
        add(HttpMethod.GET, "/health/ready", health::ready);
        modelById = Map.of(HttpMethod.GET, models::retrieve);
        LogsEndpoint logs = new LogsEndpoint(gw); // these four: admin keys, see LogsAccess
        add(HttpMethod.GET, LogsEndpoint.ROOT, logs::list);
        add(HttpMethod.GET, LogStreamEndpoint.PATH, new LogStreamEndpoint(gw)); // the panel's live tail (SSE)
        add(HttpMethod.GET, StatsEndpoint.PATH, new StatsEndpoint(gw));
        add(HttpMethod.GET, MetricsEndpoint.PATH, new MetricsEndpoint(gw));
        logById = Map.of(HttpMethod.GET, logs::byId);
        logsAccess = new LogsAccess(gw.settings());
        reports = new ReportRoutes(gw); // /v2/logs/ingest and /v2/feedback: ingest keys, see ReportAccess
        panel = new Panel(PanelSettings.from(gw.switchboard().config().gateway(), String.join(" + ", gw.switchboard().config().sources())),
                gw.settings().adminKeys());
    }

    private void add(HttpMethod method, String path, Endpoint endpoint) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
    }

    /** Finds the endpoint for {@code ex}, checks its key, and starts it. */
    void serve(Exchange ex) throws Exception {
        String path = ex.path().length() > 1 && ex.path().endsWith("/") ? ex.path().substring(0, ex.path().length() - 1) : ex.path();
        boolean open = path.equals("/health") || path.equals("/health/live") || path.equals("/health/ready");
        panel.authenticate(ex); // a panel session cookie stands for an admin key (CSRF-checked for writes)
        if (ReportRoutes.owns(path)) {
            reports.serve(ex, path);
            return;
        }
        if (!open) {
            reports.refuseIngestOnly(ex); // an ingest key reports and does nothing else
        }
        if (Panel.owns(path)) {
            panel.handle(ex);
            return;
        }
        if (AdminDeploymentsEndpoint.owns(path)) {
            admin.handle(ex);
            return;
        }
        if (LogsAccess.owns(path)) {
            logsAccess.check(ex, path);
        } else if (!open) {
            authorize(ex);
        }
        Map<HttpMethod, Endpoint> byMethod = routes.get(path);
        if (byMethod == null && path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
            byMethod = modelById;
        }
        if (byMethod == null && path.startsWith(LogsEndpoint.BY_ID) && path.length() > LogsEndpoint.BY_ID.length()) {
            byMethod = logById;
        }
        if (byMethod == null) {
            throw GatewayException.notFound(null, "unknown_url", "no endpoint at " + ex.method() + " " + path
                    + " (endpoints: " + String.join(", ", routes.keySet()) + ")");
        }
        HttpMethod method = HttpMethod.HEAD.equals(ex.method()) ? HttpMethod.GET : ex.method();
        Endpoint endpoint = byMethod.get(method);
        if (endpoint == null) {
            String allow = byMethod.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            ex.header(HttpHeaderNames.ALLOW, allow);
            throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", null, "method_not_allowed",
                    ex.method() + " is not allowed on " + path + " (allowed: " + allow + ")");
        }
        endpoint.handle(ex);
    }

    private void authorize(Exchange ex) {
        if (keys.isEmpty() || ex.panelSession() != null) {
            return;
        }
        String presented = presentedKey(ex);
        if (presented == null) {
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "missing_api_key",
                    "missing API key: send it as 'Authorization: Bearer <key>'");
        }
        if (!keys.accepts(presented)) {
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "invalid_api_key",
                    "invalid API key");
        }
    }

    /** The route template of {@code path} for metrics ({@code /v1/models/{id}}), or null when no route matches. */
    String label(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (routes.containsKey(p) || ReportRoutes.owns(p)) {
            return p;
        }
        if (p.startsWith(MODELS_PREFIX)) {
            return MODELS_PREFIX + "{id}";
        }
        if (p.startsWith(LogsEndpoint.BY_ID)) {
            return LogsEndpoint.BY_ID + "{id}";
        }
        if (AdminDeploymentsEndpoint.owns(p)) {
            return AdminDeploymentsEndpoint.ROOT + "/*";
        }
        return Panel.owns(p) ? Panel.ROOT + "/*" : null;
    }

    static String presentedKey(Exchange ex) {
        String auth = ex.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String k = auth.substring(7).trim();
            return k.isEmpty() ? null : k;
        }
        String k = ex.requestHeaders().get("x-api-key");
        if (k == null) {
            k = ex.requestHeaders().get("api-key");
        }
        return k == null || k.isBlank() ? null : k.trim();
    }
}
