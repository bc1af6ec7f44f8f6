package dev.switchboard.runtime.providers.anthropic;

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
 * Writes a {@link ChatRequest} as a Messages API body, refusing what Anthropic cannot serve before any
 * network I/O (see {@link AnthropicProvider} for the rules). Immutable and thread-safe.
 */
final class AnthropicRequestWriter {
    static final ExtraParameters EXTRAS = ExtraParameters.of(
            Set.of("logprobs", "top_logprobs", "logit_bias", "frequency_penalty", "presence_penalty", "modalities",
                    "audio", "prediction", "web_search_options"),
            Set.of("user", "parallel_tool_calls", "store", "stream_options", "metadata", "service_tier",
                    "reasoning_effort", "prompt_cache_key", "safety_identifier", "verbosity", "stream"));

    /**
     * A request body ready to send.
     *
     * @param body       the JSON body
     * @param answerTool the forced tool carrying a structured answer, or null
     */
    record Prepared(ObjectNode body, AnswerTool answerTool) {
    }

    private final String provider;
    private final int defaultMaxTokens;

    AnthropicRequestWriter(String provider, int defaultMaxTokens) {
        this.provider = provider;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /** @throws ProviderException of kind {@code UNSUPPORTED} for a request Anthropic cannot serve */
    Prepared write(ChatRequest request, boolean stream) {
        check(request, stream);
        ObjectNode body = JsonHttp.object().put("model", request.model());
        body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens);
        AnthropicMessageWriter messages = new AnthropicMessageWriter(provider, request.model());
        String system = messages.system(request.messages());
        if (system != null) {
            body.put("system", system);
        }
        body.set("messages", messages.messages(request.messages()));
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            request.stop().forEach(stops::add);
        }
        if (stream) {
            body.put("stream", true);
        }
        AnswerTool answer = AnswerTool.of(request.responseFormat());
        if (answer != null) {
            body.putArray("tools").add(answer.definition());
            body.putObject("tool_choice").put("type", "tool").put("name", answer.name());
        } else {
            writeTools(body, request);
        }
        Object user = request.extra().get("user");
        if (user instanceof String id && !id.isBlank()) {
            body.putObject("metadata").put("user_id", id);
        }
        EXTRAS.copyInto(body, request.extra());
        return new Prepared(body, answer);
    }

    private void check(ChatRequest request, boolean stream) {
        AnthropicProvider.CAPABILITIES.check(provider, request, stream);
        EXTRAS.check(provider, request);
        if (request.temperature() != null && request.temperature() > 1) {
            throw ProviderException.unsupported(provider, request.model(),
                    "temperature " + request.temperature() + " (the range is 0 to 1)");
        }
        if (request.responseFormat().type() != ResponseFormat.Type.TEXT && !request.tools().isEmpty()) {
            throw ProviderException.unsupported(provider, request.model(),
                    "response_format " + request.responseFormat().type().name().toLowerCase(java.util.Locale.ROOT)
                            + " together with tools (structured output is served through a forced tool)");
        }
    }

    private static void writeTools(ObjectNode body, ChatRequest request) {
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (ToolDefinition t : request.tools()) {
            ObjectNode tool = tools.addObject().put("name", t.name());
            if (t.description() != null) {
                tool.put("description", t.description());
            }
            if (t.parameters() != null && t.parameters().isObject()) {
                tool.set("input_schema", t.parameters());
            } else {
                tool.putObject("input_schema").put("type", "object").putObject("properties");
            }
        }
        ObjectNode choice = toolChoice(request.toolChoice());
        if (Boolean.FALSE.equals(request.extra().get("parallel_tool_calls"))) {
            if (choice == null) {
                choice = JsonHttp.object().put("type", "auto");
            }
            if (!"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            body.set("tool_choice", choice);
        }
    }

    private static ObjectNode toolChoice(ToolChoice choice) {
        if (choice == null) {
            return null;
        }
        switch (choice.mode()) {
            case AUTO: return JsonHttp.object().put("type", "auto");
            case REQUIRED: return JsonHttp.object().put("type", "any");
            case NONE: return JsonHttp.object().put("type", "none");
            case FUNCTION: return JsonHttp.object().put("type", "tool").put("name", choice.functionName());
            default: throw new IllegalStateException("unknown tool choice " + choice.mode());
        }
    }
}
