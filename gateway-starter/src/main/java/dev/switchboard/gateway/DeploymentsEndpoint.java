package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.UnknownDeploymentException;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.ProviderEntry;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.runtime.config.VariantConfig;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.engine.ResolvedVariant;
import dev.switchboard.spi.ChatRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.context.Scope;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The deployments API. {@code POST /v2/deployments/invoke} runs a deployment by key and answers with the
 * completion and what produced it (deployment, variant, version, provider, model, attempts); with
 * {@code "stream": true} it streams chunks and ends with a {@code deployment.invocation.result} event.
 * {@code POST /v2/deployments/get_config} answers the resolved variant for a context and inputs, with its
 * messages rendered, and {@code routing} (which rule picked the variant, and why), for applications that call
 * providers themselves; it never includes credentials or provider URLs. Stateless and thread-safe.
 */
final class DeploymentsEndpoint {
    private static final Set<String> INVOKE_FIELDS = Set.of("key", "inputs", "context", "messages", "metadata", "stream",
            "parameters", "retry", "fallbacks", "timeout");
    private static final Set<String> CONFIG_FIELDS = Set.of("key", "inputs", "context", "messages");
    private final GatewayContext gw;

    DeploymentsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void invoke(Exchange ex) {
        ObjectNode body = GatewayJson.parseObject(ex.body());
        Invocation inv = invocation(body, INVOKE_FIELDS);
        boolean stream = bool(body.get("stream"), "stream");
        ResolvedVariant rv = gw.engine().resolve(inv);
        CallHeaders.resolved(ex, rv, inv.callId());
        CompletableFuture<CallResult> f;
        SseStream sse = null;
        try (Scope ignored = gw.observability().telemetry().traces().join(ex.requestHeaders())) { // joins the caller's trace
            if (stream) {
                sse = new SseStream(ex, gw.codec(), ChatCompletionsEndpoint.completionId(inv.callId()), rv.config().model().model(), false,
                        System.nanoTime() + rv.timeout().toNanos());
                f = gw.engine().stream(inv, sse);
            } else {
                f = gw.engine().call(inv);
            }
        }
        ex.cancelOnClose(f);
        SseStream s = sse;
        f.whenComplete((r, e) -> {
            if (e != null) {
                CallHeaders.failure(ex, e);
                ex.fail(e);
                return;
            }
            CallHeaders.result(ex, r);
            if (s != null) {
                ObjectNode result = describe(GatewayJson.object(), r).put("object", "deployment.invocation.result");
                result.set("usage", GatewayJson.reparse(gw.codec().writeResponse(r.response(), "x", 0)).get("usage"));
                s.complete(r, GatewayJson.bytes(result));
            } else {
                ObjectNode out = GatewayJson.reparse(gw.codec().writeResponse(r.response(),
                        ChatCompletionsEndpoint.completionId(r.callId()), r.startedAt().getEpochSecond()));
                out.put("object", "deployment.invocation").put("text", r.response().text());
                ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(describe(out, r)));
            }
        });
    }

    void getConfig(Exchange ex) {
        ObjectNode body = GatewayJson.parseObject(ex.body());
        Invocation inv = invocation(body, CONFIG_FIELDS);
        ResolvedVariant rv = gw.engine().resolve(inv);
        ChatRequest rendered = gw.engine().render(rv, inv);
        CallHeaders.resolved(ex, rv, null);
        VariantConfig v = rv.config();
        ModelRef model = v.model();
        ProviderEntry provider = gw.engine().config().providers().get(model.provider());
        ObjectNode out = GatewayJson.object().put("object", "deployment.config")
                .put("deployment", rv.deployment()).put("variant", rv.variant()).put("version", rv.version())
                .put("provider", model.provider()).put("provider_type", provider == null ? null : provider.type())
                .put("model", model.model());
        out.set("messages", gw.codec().requestTree(rendered, false).get("messages"));
        out.set("parameters", GatewayJson.mapper().valueToTree(v.parameters()));
        RetrySpec retry = v.retryOrDefault();
        ObjectNode r = out.putObject("retry").put("count", retry.count())
                .put("backoff_ms", retry.backoff().toMillis()).put("max_backoff_ms", retry.maxBackoff().toMillis())
                .put("on_connection_errors", retry.onConnectionErrors());
        new TreeSet<>(retry.onCodes()).forEach(r.putArray("on_codes")::add);
        ArrayNode fallbacks = out.putArray("fallbacks");
        v.fallbacksOrEmpty().forEach(f -> fallbacks.add(f.toString()));
        out.put("timeout_ms", rv.timeout().toMillis());
        dev.switchboard.runtime.routing.Routing.Decision why = gw.engine().explain(inv); // which rule picked the variant
        out.putObject("routing").put("variant", why.variant()).put("rule_index", why.ruleIndex())
                .put("rule_name", why.ruleName()).put("reason", why.reason());
        ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(out));
    }

    /** Reads {@code key}, {@code inputs}, {@code context}, {@code messages}, {@code metadata} and the policy extensions. */
    private Invocation invocation(ObjectNode body, Set<String> allowed) {
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw GatewayException.badRequest(f, "unknown field '" + f + "' (allowed: " + new TreeSet<>(allowed) + ")");
            }
        });
        JsonNode k = body.get("key");
        if (k == null || !k.isTextual() || k.textValue().isBlank()) {
            throw GatewayException.badRequest("key", "key is required: the deployment key");
        }
        String key = k.textValue().trim();
        if (!gw.engine().config().deployments().containsKey(key)) {
            throw new UnknownDeploymentException(key, "unknown deployment '" + key + "' (configured: "
                    + gw.engine().config().deployments().keySet() + ")");
        }
        JsonNode params = body.remove("parameters");
        RequestExtensions ext = RequestExtensions.take(body, gw.engine().providers().names());
        ObjectNode chat = GatewayJson.object().put("model", key);
        if (body.has("messages")) {
            chat.set("messages", body.get("messages"));
        }
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw GatewayException.badRequest("parameters", "parameters must be an object, was " + params.getNodeType());
            }
            params.properties().forEach(e -> chat.set(e.getKey(), e.getValue()));
        }
        ChatRequest req = ChatCalls.readRequest(gw.codec(), chat, true);
        return Invocation.builder(key).overrides(ext.overrides(null))
                .variables(ext.inputs()).context(ext.context()).metadata(ext.metadata())
                .messages(ChatCalls.noMessages(chat) ? java.util.List.of() : req.messages())
                .parameters(ChatCalls.parameters(req))
                .callId(Engine.newCallId()).build();
    }

    private ObjectNode describe(ObjectNode out, CallResult r) {
        out.put("call_id", r.callId()).put("deployment", r.deployment()).put("variant", r.variant()).put("version", r.version())
                .put("provider", r.answeredBy().provider()).put("model", r.answeredBy().model())
                .put("latency_ms", r.latency().toMillis());
        ArrayNode attempts = out.putArray("attempts");
        for (Attempt a : r.attempts()) {
            attempts.addObject().put("provider", a.provider()).put("model", a.model()).put("outcome", a.outcome().name())
                    .put("status", a.statusCode()).put("error", gw.errors().redactor().apply(a.error())).put("latency_ms", a.latency().toMillis());
        }
        return out;
    }

    private static boolean bool(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw GatewayException.badRequest(field, field + " must be true or false, was " + n);
        }
        return n.booleanValue();
    }
}
