package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.ProviderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/embeddings}: the OpenAI Embeddings API through the provider's {@code embed}. The
 * {@code model} is a {@code provider/model} reference, or a deployment key whose primary model is used.
 * Vectors are written as float arrays, or base64 when {@code encoding_format} is {@code base64}.
 * Stateless and thread-safe.
 */
final class EmbeddingsEndpoint implements Endpoint {
    private final GatewayContext gw;

    EmbeddingsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        ObjectNode body = GatewayJson.parseObject(ex.body());
        RequestExtensions.refuseRoutingFields(body);
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual() || m.textValue().isBlank()) {
            throw GatewayException.badRequest("model", "model is required: a provider/model reference or a deployment key");
        }
        boolean base64 = encoding(body.get("encoding_format"));
        Engine engine = gw.engine();
        String model = m.textValue().trim();
        ModelRef ref;
        if (engine.config().deployments().containsKey(model)) {
            ref = engine.resolve(Invocation.builder(model).build()).config().model();
            ex.header(CallHeaders.DEPLOYMENT, model);
        } else {
            ref = ChatCalls.modelRef(engine, model);
        }
        ObjectNode forProvider = body.deepCopy();
        forProvider.put("model", ref.model());
        EmbeddingRequest request = gw.codec().readEmbeddingRequest(forProvider);
        ChatProvider provider = engine.providers().provider(ref.provider());
        ex.header(CallHeaders.PROVIDER, ref.provider());
        CompletableFuture<EmbeddingResponse> f;
        try {
            f = provider.embed(request);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(ProviderException.fromFailure(ref.provider(), ref.model(), e));
        }
        ex.cancelOnClose(f);
        f.whenComplete((r, e) -> {
            if (e != null) {
                ex.fail(e);
            } else {
                ex.sendJson(HttpResponseStatus.OK, gw.codec().writeEmbeddingResponse(r, base64));
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
