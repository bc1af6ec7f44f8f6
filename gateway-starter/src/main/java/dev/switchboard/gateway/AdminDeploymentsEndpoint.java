package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.deploy.DefinitionDiff;
import dev.switchboard.runtime.deploy.DeploymentJson;
import dev.switchboard.runtime.deploy.DeploymentStore;
import dev.switchboard.runtime.deploy.DeploymentStoreException;
import dev.switchboard.runtime.deploy.DeploymentVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * The admin API of the deployment store; every request needs one of {@code gateway.admin_keys}
 * ({@code Authorization: Bearer <admin key>}); with none configured the API is off (403).
 *
 * <pre>
 * GET  /v2/admin/deployments                          every deployment with its current version
 * GET  /v2/admin/deployments/{key}                    the current version (with definition) and the history
 * GET  /v2/admin/deployments/{key}/versions           the history, oldest first
 * GET  /v2/admin/deployments/{key}/versions/{n}       one version with its definition ({n}: 3 or v3)
 * POST /v2/admin/deployments/{key}/versions           publish {"definition": {…}, "author": "…", "message": "…"} → 201
 * POST /v2/admin/deployments/{key}/rollback           {"version": 2, "author": "…"} → 201, a new version copying v2
 * GET  /v2/admin/deployments/{key}/diff?from=1&amp;to=3   added/removed/changed key paths with old and new values
 * </pre>
 *
 * An invalid definition is 400 with {@code param} naming the field ({@code definition.variants.main.model}) and
 * nothing is stored. Store I/O runs off the event loop ({@link StoreWork}). Stateless and thread-safe.
 */
final class AdminDeploymentsEndpoint implements Endpoint {
    /** The path every admin deployment route starts with. */
    static final String ROOT = "/v2/admin/deployments";
    private final GatewayContext gw;

    AdminDeploymentsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    /** Whether {@code path} belongs to this endpoint. */
    static boolean owns(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    @Override
    public void handle(Exchange ex) {
        authorize(ex);
        String path = ex.path().endsWith("/") ? ex.path().substring(0, ex.path().length() - 1) : ex.path();
        String[] seg = path.length() <= ROOT.length() ? new String[0] : path.substring(ROOT.length() + 1).split("/");
        DeploymentStore store = DeploymentExportEndpoint.store(gw);
        HttpMethod m = HttpMethod.HEAD.equals(ex.method()) ? HttpMethod.GET : ex.method();
        if (seg.length == 0) {
            allow(ex, m, HttpMethod.GET);
            StoreWork.run(ex, () -> ok(list(DeploymentJson.summaries(store.list()))));
            return;
        }
        String key = seg[0];
        String sub = seg.length > 1 ? seg[1] : "";
        if (seg.length == 1) {
            allow(ex, m, HttpMethod.GET);
            StoreWork.run(ex, () -> ok(detail(store, key)));
        } else if (sub.equals("versions") && seg.length == 2 && m.equals(HttpMethod.POST)) {
            ObjectNode body = GatewayJson.parseObject(ex.body());
            JsonNode def = body.get("definition");
            if (def == null || !def.isObject()) {
                throw GatewayException.badRequest("definition", "definition must be an object: the keys of deployments." + key + " in switchboard.yaml");
            }
            StoreWork.run(ex, () -> created(store.publish(key, (ObjectNode) def, text(body, "author"), text(body, "message"))));
        } else if (sub.equals("versions") && seg.length == 2) {
            allow(ex, m, HttpMethod.GET, HttpMethod.POST);
            StoreWork.run(ex, () -> ok(list(DeploymentJson.summaries(history(store, key)))));
        } else if (sub.equals("versions") && seg.length == 3) {
            allow(ex, m, HttpMethod.GET);
            int n = number(seg[2], "version");
            StoreWork.run(ex, () -> ok(DeploymentJson.full(store.version(key, n).orElseThrow(() -> missing(key, n)))));
        } else if (sub.equals("rollback") && seg.length == 2) {
            allow(ex, m, HttpMethod.POST);
            ObjectNode body = GatewayJson.parseObject(ex.body());
            int n = number(body.path("version").asText(""), "version");
            StoreWork.run(ex, () -> created(store.rollback(key, n, text(body, "author"))));
        } else if (sub.equals("diff") && seg.length == 2) {
            allow(ex, m, HttpMethod.GET);
            String from = ex.queryParam("from");
            String to = ex.queryParam("to");
            StoreWork.run(ex, () -> ok(diff(store, key, from, to)));
        } else {
            throw GatewayException.notFound(null, "unknown_url", "no admin endpoint at " + ex.method() + " " + path);
        }
    }

    private void authorize(Exchange ex) {
        ApiKeys admin = gw.settings().adminKeys();
        if (admin.isEmpty()) {
            throw new GatewayException(HttpResponseStatus.FORBIDDEN, "permission_error", null, "admin_disabled",
                    "the admin API is off: configure gateway.admin_keys (sha256 hashes, printed by --hash-key <key>)");
        }
        if (ex.panelSession() != null) {
            return; // signed in to the panel with an admin key
        }
        String auth = ex.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        String key = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : ex.requestHeaders().get("x-api-key");
        if (key == null || key.isBlank()) {
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "missing_api_key",
                    "missing admin key: send it as 'Authorization: Bearer <admin key>'");
        }
        if (!admin.accepts(key.trim())) {
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", null, "invalid_api_key", "invalid admin key");
        }
    }

    private static void allow(Exchange ex, HttpMethod m, HttpMethod... allowed) {
        for (HttpMethod a : allowed) {
            if (a.equals(m)) {
                return;
            }
        }
        String list = String.join(", ", java.util.Arrays.stream(allowed).map(HttpMethod::name).toList());
        ex.header(HttpHeaderNames.ALLOW, list);
        throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", null, "method_not_allowed",
                ex.method() + " is not allowed on " + ex.path() + " (allowed: " + list + ")");
    }

    private static ObjectNode detail(DeploymentStore store, String key) {
        List<DeploymentVersion> h = history(store, key);
        ObjectNode out = GatewayJson.object().put("key", key);
        out.set("current", DeploymentJson.full(h.get(h.size() - 1)));
        out.set("versions", DeploymentJson.summaries(h));
        return out;
    }

    private static List<DeploymentVersion> history(DeploymentStore store, String key) {
        List<DeploymentVersion> h = store.history(key);
        if (h.isEmpty()) {
            throw DeploymentStoreException.notFound("the deployment store has no deployment '" + key + "'");
        }
        return h;
    }

    private static ObjectNode diff(DeploymentStore store, String key, String from, String to) {
        List<DeploymentVersion> h = history(store, key);
        int b = to == null ? h.get(h.size() - 1).number() : number(to, "to");
        int a = from == null ? b - 1 : number(from, "from");
        if (a < 1) {
            throw GatewayException.badRequest("from", "deployment '" + key + "' has one version only; give from and to");
        }
        DefinitionDiff d = store.diff(key, a, b);
        ObjectNode out = GatewayJson.object().put("key", key).put("from", DeploymentVersion.label(a)).put("to", DeploymentVersion.label(b));
        ArrayNode changes = out.putArray("changes");
        for (DefinitionDiff.Change c : d.changes()) {
            ObjectNode o = changes.addObject().put("path", c.path()).put("kind", c.kind().wireName());
            if (!c.oldValue().isMissingNode()) {
                o.set("old", c.oldValue());
            }
            if (!c.newValue().isMissingNode()) {
                o.set("new", c.newValue());
            }
        }
        return out;
    }

    private static int number(String text, String param) {
        try {
            return DeploymentVersion.parseNumber(text);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest(param, e.getMessage());
        }
    }

    private static DeploymentStoreException missing(String key, int n) {
        return DeploymentStoreException.notFound("deployment '" + key + "' has no version " + DeploymentVersion.label(n));
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && !n.isTextual()) {
            throw GatewayException.badRequest(field, field + " must be a string");
        }
        return n == null || n.isNull() ? null : n.textValue();
    }

    private static ObjectNode list(ArrayNode data) {
        ObjectNode o = GatewayJson.object().put("object", "list");
        o.set("data", data);
        return o;
    }

    private static StoreWork.Answer ok(ObjectNode body) {
        return new StoreWork.Answer(HttpResponseStatus.OK, GatewayJson.bytes(body));
    }

    private static StoreWork.Answer created(DeploymentVersion v) {
        return new StoreWork.Answer(HttpResponseStatus.CREATED, GatewayJson.bytes(DeploymentJson.full(v)));
    }
}
