package dev.switchboard.samples.acme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;
import java.io.IOException;
import java.util.Locale;

/**
 * The ACME wire format in both directions, as pure functions: the request body, the answer, the
 * terminal stream event and the error body. Stateless and thread-safe (the mapper is never reconfigured).
 *
 * <pre>
 * request  {"model":"acme-large","prompt_messages":[{"role":"user","text":"Hi"}],"temperature":0.2,"max_output":300,"stop":["\n\n"]}
 * answer   {"id":"gen-42","output":"Hello!","tokens_in":12,"tokens_out":3,"stop":"end"}
 * error    {"error_code":"overloaded","detail":"try again later"}
 * </pre>
 */
final class AcmeWire {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AcmeWire() {
    }

    /** The body of a generate request; the request was checked by {@link AcmeProvider} before. */
    static byte[] requestBody(ChatRequest request) {
        ObjectNode body = MAPPER.createObjectNode().put("model", request.model());
        ArrayNode messages = body.putArray("prompt_messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("text", m.text());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.maxTokens() != null) {
            body.put("max_output", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            request.stop().forEach(body.putArray("stop")::add);
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /** Parses a body or an event's data. @throws IllegalArgumentException when it is not a JSON object */
    static JsonNode parse(byte[] json) {
        try {
            JsonNode node = json.length == 0 ? null : MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a plain answer. @throws IllegalArgumentException when {@code output} is missing */
    static ChatResponse answer(JsonNode body, String model) {
        JsonNode output = body.get("output");
        if (output == null || !output.isTextual()) {
            throw new IllegalArgumentException("the answer has no 'output' text");
        }
        return ChatResponse.ofText(body.path("id").textValue(), model, output.textValue(), finishReason(body), usage(body));
    }

    /** {@code stop}: {@code end} is a natural stop, {@code limit} the token limit; absent means {@code end}. */
    static FinishReason finishReason(JsonNode body) {
        String stop = body.path("stop").asText("end");
        return switch (stop) {
            case "end" -> FinishReason.STOP;
            case "limit" -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }

    /** {@code tokens_in} / {@code tokens_out}; {@link Usage#NONE} when absent. */
    static Usage usage(JsonNode body) {
        JsonNode in = body.get("tokens_in");
        JsonNode out = body.get("tokens_out");
        return in == null && out == null ? Usage.NONE
                : Usage.of(Math.max(0, in == null ? 0 : in.asLong()), Math.max(0, out == null ? 0 : out.asLong()));
    }

    /**
     * Maps a non-2xx answer. Retryability follows the status ({@code 429} and {@code 5xx} retry, see
     * {@link ProviderException#defaultRetryable}) except {@code quota_exhausted}, a 429 that waiting a few
     * seconds does not fix. {@code Retry-After} is passed on for the engine's backoff.
     */
    static ProviderException error(String provider, String model, HttpResult result) {
        JsonNode body;
        try {
            body = parse(result.body());
        } catch (IllegalArgumentException notJson) {
            body = MAPPER.createObjectNode();
        }
        String code = body.path("error_code").textValue();
        ProviderException.Builder b = ProviderException.builder(provider).model(model).status(result.status())
                .errorCode(code).message(body.path("detail").asText("no detail"));
        RetryAfter.of(result).ifPresent(b::retryAfter);
        if ("quota_exhausted".equals(code)) {
            b.retryable(false);
        }
        return b.build();
    }

    /** Maps an {@code event: error} that arrives inside a 2xx stream (ACME sends it when it sheds load). */
    static ProviderException errorEvent(String provider, String model, JsonNode data) {
        String code = data.path("error_code").asText("stream_error");
        return ProviderException.builder(provider).model(model).status(503).errorCode(code)
                .message(data.path("detail").asText("error event in the stream"))
                .retryable(!"quota_exhausted".equals(code)).build();
    }
}
