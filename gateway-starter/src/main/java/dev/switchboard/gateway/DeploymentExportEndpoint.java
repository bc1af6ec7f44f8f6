package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.deploy.DeploymentJson;
import dev.switchboard.runtime.deploy.DeploymentStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /v2/deployments/export}: the current version of every deployment in the gateway's deployment
 * store with its definition, for applications in configuration-management mode
 * ({@link dev.switchboard.runtime.deploy.RemoteConfigSource}). Answers with an {@code ETag}; a request whose
 * {@code If-None-Match} names it gets 304 without a body. Never includes provider entries or credentials.
 * 404 {@code no_deployment_store} when the gateway has no {@code gateway.deployment_store}. Stateless and
 * thread-safe.
 *
 * <pre>{"deployments": {"support": {"version": "v3", "number": 3, "created_at": "…", "author": "alice",
 *                                 "message": "…", "definition": {"model": "openai/gpt-4o-mini", …}}}}</pre>
 */
final class DeploymentExportEndpoint implements Endpoint {
    private final GatewayContext gw;

    DeploymentExportEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        DeploymentStore store = store(gw);
        String ifNoneMatch = ex.requestHeaders().get(HttpHeaderNames.IF_NONE_MATCH);
        StoreWork.run(ex, () -> {
            ObjectNode export = DeploymentJson.export(store.list());
            String etag = DeploymentJson.etag(export);
            ex.header(HttpHeaderNames.ETAG, etag).header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            if (matches(ifNoneMatch, etag)) {
                return new StoreWork.Answer(HttpResponseStatus.NOT_MODIFIED, new byte[0]);
            }
            return new StoreWork.Answer(HttpResponseStatus.OK, GatewayJson.bytes(export));
        });
    }

    /** The gateway's store. @throws GatewayException 404 when none is configured */
    static DeploymentStore store(GatewayContext gw) {
        return GatewayDeploymentStore.of(gw.switchboard()).orElseThrow(() -> GatewayException.notFound(null, "no_deployment_store",
                "this gateway has no deployment store: configure gateway.deployment_store (type files or jdbc)"));
    }

    private static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.startsWith("W/") && t.substring(2).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
