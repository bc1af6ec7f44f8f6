package dev.switchboard.runtime.providers.cohere;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.providers.support.ExtraParameters;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.Set;

/**
 * Writes a {@link ChatRequest} as a Chat API v2 body, refusing what Cohere cannot serve before any
 * network I/O (see {@link CohereProvider} for the rules). Immutable and thread-safe.
 */
final class CohereRequestWriter {
    static final ExtraParameters EXTRAS = ExtraParameters.of(
            Set.of("logprobs", "top_logprobs", "logit_bias", "modalities", "audio", "prediction", "web_search_options"),
            Set.of("top_k", "user", "parallel_tool_calls", "store", "stream_options", "metadata", "service_tier",
                    "reasoning_effort", "prompt_cache_key", "safety_identifier", "verbosity", "stream"));
    static final double MIN_P = 0.01;
    static final double MAX_P = 0.99;

    private final String provider;

    CohereRequestWriter(String provider) {
        this.provider = provider;
    }

    /** @throws ProviderException of kind {@code UNSUPPORTED} for a request Cohere cannot serve */
    ObjectNode write(ChatRequest request, boolean stream) {
        check(request, stream);
        ObjectNode body = JsonHttp.object().put("model", request.model());
        body.set("messages", new CohereMessageWriter(provider, request.model()).messages(request.messages()));
        if (stream) {
            body.put("stream", true);
        }
        writeTools(body, request);
        writeResponseFormat(body, request.responseFormat());
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("p", Math.max(MIN_P, Math.min(MAX_P, request.topP())));
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            request.stop().forEach(stops::add);
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        Object topK = request.extra().get("top_k");
        if (topK != null) {
            body.set("k", JsonHttp.mapper().valueToTree(topK));
        }
        EXTRAS.copyInto(body, request.extra());
        return body;
    }

    private void check(ChatRequest request, boolean stream) {
        CohereProvider.CAPABILITIES.check(provider, request, stream);
        EXTRAS.check(provider, request);
        if (request.temperature() != null && request.temperature() > 1) {
            throw ProviderException.unsupported(provider, request.model(),
                    "temperature " + request.temperature() + " (the range is 0 to 1)");
        }
        if (request.toolChoice() != null && request.toolChoice().mode() == ToolChoice.Mode.FUNCTION) {
            throw ProviderException.unsupported(provider, request.model(),
                    "a named tool choice ('" + request.toolChoice().functionName() + "'; only required or none)");
        }
        if (request.responseFormat().type() != ResponseFormat.Type.TEXT && !request.tools().isEmpty()) {
            throw ProviderException.unsupported(provider, request.model(), "response_format together with tools");
        }
        if (Boolean.FALSE.equals(request.extra().get("parallel_tool_calls")) && !request.tools().isEmpty()) {
            throw ProviderException.unsupported(provider, request.model(), "parallel_tool_calls false");
        }
    }

    private static void writeTools(ObjectNode body, ChatRequest request) {
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        boolean allStrict = true;
        for (ToolDefinition t : request.tools()) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
            if (t.description() != null) {
                function.put("description", t.description());
            }
            if (t.parameters() != null && t.parameters().isObject()) {
                function.set("parameters", t.parameters());
            } else {
                function.putObject("parameters").put("type", "object").putObject("properties");
            }
            allStrict &= t.strict();
        }
        if (allStrict) {
            body.put("strict_tools", true);
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null && choice.mode() == ToolChoice.Mode.REQUIRED) {
            body.put("tool_choice", "REQUIRED");
        } else if (choice != null && choice.mode() == ToolChoice.Mode.NONE) {
            body.put("tool_choice", "NONE");
        }
    }

    private static void writeResponseFormat(ObjectNode body, ResponseFormat format) {
        if (format.type() == ResponseFormat.Type.TEXT) {
            return;
        }
        ObjectNode rf = body.putObject("response_format").put("type", "json_object");
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
            rf.set("json_schema", format.schema());
        }
    }
}
