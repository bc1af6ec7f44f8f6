package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenAI-shaped request body into an engine {@link Invocation}. The {@code model} field is a
 * deployment key (a deployment call: the request's messages come after the deployment's) or a
 * {@code provider/model} reference (a direct call: the model travels in the per-call overrides).
 * Stateless and thread-safe.
 */
final class ChatCalls {
    private ChatCalls() {
    }

    /** A parsed chat call: the invocation to run and whether it names a deployment. */
    record ChatCall(Invocation invocation, boolean deployment, ChatRequest request) {
    }

    /**
     * Reads a {@code /v1/chat/completions} body (extensions included).
     *
     * @throws GatewayException 400 naming the field at fault, 404 for a model that is neither a deployment nor a known provider's
     */
    static ChatCall read(Engine engine, OpenAiCodec codec, ObjectNode body) {
        RequestExtensions ext = RequestExtensions.take(body, engine.providers().names());
        JsonNode m = body.get("model");
        if (m == null || !m.isTextual() || m.textValue().isBlank()) {
            throw GatewayException.badRequest("model", "model is required: a deployment key or a provider/model reference");
        }
        String model = m.textValue().trim();
        boolean deployment = engine.config().deployments().containsKey(model);
        ModelRef ref = deployment ? null : modelRef(engine, model);
        boolean noMessages = noMessages(body);
        ChatRequest req = readRequest(codec, body, deployment);
        List<ChatMessage> messages = noMessages ? List.of() : req.messages();
        Invocation.Builder b = Invocation.builder(deployment ? model : null)
                .overrides(ext.overrides(ref))
                .variables(ext.inputs()).context(ext.context()).metadata(ext.metadata())
                .messages(messages)
                .parameters(parameters(req)).tools(req.tools()).toolChoice(req.toolChoice())
                .responseFormat(req.responseFormat()).includeUsage(req.includeUsage()).callId(Engine.newCallId());
        return new ChatCall(b.build(), deployment, req);
    }

    /**
     * Reads the OpenAI part of a body. A deployment call may omit {@code messages} (the deployment's own
     * are used): the other fields are still read and validated, and the result then holds one placeholder
     * message, which callers drop when {@link #noMessages} is true.
     */
    static ChatRequest readRequest(OpenAiCodec codec, ObjectNode body, boolean messagesOptional) {
        return codec.readRequest(messagesOptional && noMessages(body) ? withPlaceholder(body) : body);
    }

    /** Whether a body carries no message of its own. */
    static boolean noMessages(JsonNode body) {
        JsonNode messages = body.get("messages");
        return messages == null || messages.isNull() || messages.isArray() && messages.isEmpty();
    }

    private static ObjectNode withPlaceholder(ObjectNode body) {
        // ChatRequest needs a message: add one the caller drops (see read()).
        ObjectNode copy = body.deepCopy();
        copy.putArray("messages").addObject().put("role", "user").put("content", "");
        return copy;
    }

    /**
     * The {@code provider/model} reference {@code model} names.
     *
     * @throws GatewayException 404 when it is not a reference or names an unknown provider
     */
    static ModelRef modelRef(Engine engine, String model) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(model);
        } catch (IllegalArgumentException e) {
            throw GatewayException.notFound("model", "model_not_found", "model '" + model + "' is neither a configured deployment "
                    + engine.config().deployments().keySet() + " nor a provider/model reference");
        }
        if (!engine.providers().names().contains(ref.provider())) {
            throw GatewayException.notFound("model", "model_not_found", "model '" + model + "': unknown provider '" + ref.provider()
                    + "' (configured providers: " + engine.providers().names() + "; deployments: " + engine.config().deployments().keySet() + ")");
        }
        return ref;
    }

    /** The request's sampling parameters by snake_case name, typed ones and pass-through ones. */
    static Map<String, Object> parameters(ChatRequest r) {
        Map<String, Object> p = new LinkedHashMap<>();
        putIf(p, "temperature", r.temperature());
        putIf(p, "top_p", r.topP());
        putIf(p, "max_tokens", r.maxTokens());
        if (!r.stop().isEmpty()) {
            p.put("stop", r.stop());
        }
        putIf(p, "seed", r.seed());
        putIf(p, "n", r.n());
        p.putAll(r.extra());
        return p;
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
