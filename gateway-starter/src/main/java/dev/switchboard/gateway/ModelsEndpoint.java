package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.DeploymentConfig;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.SwitchboardConfig;
import dev.switchboard.runtime.config.VariantConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the configured deployments and every
 * {@code provider/model} reference the configuration mentions, in OpenAI's list shape. Both kinds are
 * valid {@code model} values for chat completions. Stateless and thread-safe.
 */
final class ModelsEndpoint {
    private final GatewayContext gw;

    ModelsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void list(Exchange ex) {
        ObjectNode out = GatewayJson.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        models(gw.engine().config()).values().forEach(data::add);
        ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(out));
    }

    void retrieve(Exchange ex) {
        String id = QueryStringDecoder.decodeComponent(ex.path().substring(Routes.MODELS_PREFIX.length()), StandardCharsets.UTF_8);
        ObjectNode model = models(gw.engine().config()).get(id);
        if (model == null) {
            throw GatewayException.notFound("model", "model_not_found", "model '" + id + "' is neither a configured deployment nor a model the configuration mentions");
        }
        ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(model));
    }

    /** Deployments first, then model references, by id, without duplicates. */
    static Map<String, ObjectNode> models(SwitchboardConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (DeploymentConfig d : config.deployments().values()) {
            ObjectNode m = entry(d.key(), "switchboard");
            m.putObject("switchboard").put("kind", "deployment").put("version", d.version())
                    .put("default_variant", d.defaultVariant());
            out.put(d.key(), m);
        }
        for (DeploymentConfig d : config.deployments().values()) {
            for (VariantConfig v : d.variants().values()) {
                if (v.model() != null) {
                    addRef(out, v.model());
                }
                v.fallbacksOrEmpty().forEach(r -> addRef(out, r));
            }
        }
        return out;
    }

    private static void addRef(Map<String, ObjectNode> out, ModelRef ref) {
        out.computeIfAbsent(ref.toString(), id -> {
            ObjectNode m = entry(id, ref.provider());
            m.putObject("switchboard").put("kind", "model").put("provider", ref.provider()).put("model", ref.model());
            return m;
        });
    }

    private static ObjectNode entry(String id, String owner) {
        return GatewayJson.object().put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
    }
}
