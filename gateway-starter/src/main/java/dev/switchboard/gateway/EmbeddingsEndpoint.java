package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.engine.ResolvedVariant;
import dev.switchboard.spi.EmbeddingRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/embeddings}: the OpenAI Embeddings API through the engine ({@link Engine#embed}), so an embeddings
 * call is logged, traced and measured as a chat call is, runs under its model's retry spec, its provider's circuit
 * breaker and a timeout, and is cancelled when the client goes away. The {@code model} is a {@code provider/model}
 * reference, or a deployment key whose routed variant's primary model is used. Of the body extensions,
 * {@code retry}, {@code timeout}, {@code context} (routing) and {@code metadata} (the call log) apply;
 * {@code fallbacks} is refused (400): another model's vectors are not interchangeable. Vectors are written as float
 * arrays, or base64 when {@code encoding_format} is {@code base64}. Stateless and thread-safe.
 */
final class EmbeddingsEndpoint implements Endpoint {
    private final GatewayContext gw;

    EmbeddingsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        ObjectNode body = GatewayJson.parseObject(ex.body());
        Engine engine = gw.engine();
        RequestExtensions ext = RequestExtensions.take(body, engine.providers().names());
        if (ext.fallbacks() != null && !ext.fallbacks().isEmpty()) {
            throw GatewayException.badRequest("fallbacks", "fallbacks do not apply to embeddings: another model's vectors are not "
                    + "interchangeable with the first model's");
        }
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual() || m.textValue().isBlank()) {
            throw GatewayException.badRequest("model", "model is required: a provider/model reference or a deployment key");
        }
        boolean base64 = encoding(body.get("encoding_format"));
        String model = m.textValue().trim();
        boolean deployment = engine.config().deployments().containsKey(model);
        ModelRef ref = deployment ? null : ChatCalls.modelRef(engine, model);
        Invocation invocation = Invocation.builder(deployment ? model : null).overrides(ext.overrides(ref))
                .context(ext.context()).metadata(ext.metadata()).callId(Engine.newCallId()).build();
        ResolvedVariant rv = engine.resolve(invocation);
        CallHeaders.resolved(ex, rv, invocation.callId());
        ObjectNode forProvider = body.deepCopy();
        forProvider.put("model", rv.config().model().model());
        EmbeddingRequest request = gw.codec().readEmbeddingRequest(forProvider);
        CompletableFuture<EmbeddingsResult> f;
        try (Scope ignored = gw.observability().telemetry().traces().join(ex.requestHeaders())) {
            f = engine.embed(invocation, request); // the caller's traceparent becomes the call span's parent
        }
        ex.cancelOnClose(f);
        f.whenComplete((r, e) -> {
            if (e != null) {
                CallHeaders.failure(ex, e);
                ex.fail(e);
            } else {
                CallHeaders.result(ex, r);
                ex.sendJson(HttpResponseStatus.OK, gw.codec().writeEmbeddingResponse(r.response(), base64));
            }
        });
    }

    private static boolean encoding(JsonNode f) {
        if (f == null || f.isNull()) {
            return false;
        }
        if (!f.isTextual() || !(f.textValue().equals("float") || f.textValue().equals("base64"))) {
            throw GatewayException.badRequest("encoding_format", "encoding_format must be 'float' or 'base64', was " + f);
        }
        return f.textValue().equals("base64");
    }
}
