package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.SwitchboardConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * {@code GET /health} (liveness and readiness with configuration status and circuit-breaker states),
 * {@code GET /health/live} (200 while the process serves) and {@code GET /health/ready} (200 when it should
 * get traffic; 503 while draining or when every provider's breaker is open). Never needs an API key and
 * never shows credentials. Stateless and thread-safe.
 */
final class HealthEndpoint {
    private final GatewayContext gw;

    HealthEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void live(Exchange ex) {
        ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(GatewayJson.object().put("status", "ok")));
    }

    void ready(Exchange ex) {
        health(ex);
    }

    void health(Exchange ex) {
        SwitchboardConfig config = gw.engine().config();
        Map<String, String> breakers = gw.engine().providers().breakerStates();
        boolean allOpen = !breakers.isEmpty() && breakers.values().stream().allMatch("OPEN"::equals);
        boolean ready = !gw.draining() && !allOpen;
        ObjectNode out = GatewayJson.object()
                .put("status", gw.draining() ? "draining" : allOpen ? "degraded" : "ok")
                .put("live", true).put("ready", ready).put("in_flight", gw.inFlight().count());
        ObjectNode c = out.putObject("config").put("status", "loaded").put("version", config.version())
                .put("deployments", config.deployments().size()).put("providers", config.providers().size());
        config.sources().forEach(c.putArray("sources")::add);
        gw.switchboard().managedConfig().ifPresent(m -> ConfigStatusJson.write(m.status(), c, gw.errors().redactor()));
        ObjectNode providers = out.putObject("providers");
        breakers.forEach((name, state) -> {
            ProviderEntry e = config.providers().get(name);
            providers.putObject(name).put("type", e == null ? null : e.type()).put("circuit_breaker", state);
        });
        ex.sendJson(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, GatewayJson.bytes(out));
    }
}
