package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiJson.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ResponseFormat;
import java.util.Map;

/**
 * Writes a request's sampling parameters as a Gemini {@code generationConfig}. Gemini rejects unknown
 * fields, so {@link ChatRequest#extra()} is never passed through: the known OpenAI-style names are mapped
 * ({@code top_k}→{@code topK}, {@code presence_penalty}→{@code presencePenalty},
 * {@code frequency_penalty}→{@code frequencyPenalty}; {@code parallel_tool_calls: true} is Gemini's behaviour
 * and accepted) and any other parameter is refused with kind {@code UNSUPPORTED} naming it, rather than
 * dropped silently. Stateless and thread-safe.
 */
final class GeminiGenerationConfig {
    /** Gemini accepts at most this many stop sequences. */
    static final int MAX_STOP_SEQUENCES = 5;

    private GeminiGenerationConfig() {
    }

    static ObjectNode write(String provider, ChatRequest r) {
        ObjectNode g = NODES.objectNode();
        if (r.temperature() != null) {
            g.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            g.put("topP", r.topP());
        }
        if (r.maxTokens() != null) {
            g.put("maxOutputTokens", r.maxTokens());
        }
        if (!r.stop().isEmpty()) {
            if (r.stop().size() > MAX_STOP_SEQUENCES) {
                throw ProviderException.unsupported(provider, r.model(), "more than " + MAX_STOP_SEQUENCES + " stop sequences");
            }
            ArrayNode stop = g.putArray("stopSequences");
            r.stop().forEach(stop::add);
        }
        if (r.n() != null) {
            g.put("candidateCount", r.n());
        }
        if (r.seed() != null) {
            if (r.seed() > Integer.MAX_VALUE || r.seed() < Integer.MIN_VALUE) {
                throw ProviderException.unsupported(provider, r.model(), "a seed outside the 32-bit range");
            }
            g.put("seed", r.seed().intValue());
        }
        if (r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            g.put("responseMimeType", "application/json");
            if (r.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
                g.set("responseJsonSchema", r.responseFormat().schema());
            }
        }
        for (Map.Entry<String, Object> e : r.extra().entrySet()) {
            extra(provider, r, g, e.getKey(), e.getValue());
        }
        return g;
    }

    private static void extra(String provider, ChatRequest r, ObjectNode g, String name, Object value) {
        switch (name) {
            case "top_k":
                g.put("topK", whole(provider, r, name, value));
                break;
            case "presence_penalty":
                g.put("presencePenalty", number(provider, r, name, value));
                break;
            case "frequency_penalty":
                g.put("frequencyPenalty", number(provider, r, name, value));
                break;
            case "parallel_tool_calls":
                if (!Boolean.TRUE.equals(value)) {
                    throw ProviderException.unsupported(provider, r.model(), "parallel_tool_calls " + value);
                }
                break;
            default:
                throw ProviderException.unsupported(provider, r.model(), "parameter '" + name + "'");
        }
    }

    private static double number(String provider, ChatRequest r, String name, Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw ProviderException.unsupported(provider, r.model(), "parameter '" + name + "' with a value that is not a number");
    }

    private static int whole(String provider, ChatRequest r, String name, Object value) {
        double d = number(provider, r, name, value);
        if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
            throw ProviderException.unsupported(provider, r.model(), "parameter '" + name + "' with a value that is not a whole number");
        }
        return (int) d;
    }
}
