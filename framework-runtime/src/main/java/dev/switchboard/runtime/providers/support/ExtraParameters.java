package dev.switchboard.runtime.providers.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ProviderException;
import java.util.Map;
import java.util.Set;

/**
 * A provider's policy for the parameters of {@link ChatRequest#extra()}: each one is either refused
 * (the request fails with kind {@code UNSUPPORTED} before any network I/O), dropped (an OpenAI-only hint
 * with no equivalent, or one the provider maps itself), or copied into the request body unchanged.
 * A refused parameter whose value is {@code false} or null asks for nothing and is dropped.
 * Copying never replaces a field the provider already wrote.
 *
 * <pre>{@code
 * ExtraParameters extras = ExtraParameters.of(Set.of("logprobs", "logit_bias"), Set.of("store", "user"));
 * extras.check("anthropic", request);          // before building the body
 * extras.copyInto(body, request.extra());      // after the typed fields
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param refused parameters the provider cannot honour
 * @param dropped parameters left out of the body
 */
public record ExtraParameters(Set<String> refused, Set<String> dropped) {

    /** Copies the sets. */
    public ExtraParameters {
        refused = Set.copyOf(refused);
        dropped = Set.copyOf(dropped);
    }

    /** A policy refusing {@code refused} and dropping {@code dropped}. */
    public static ExtraParameters of(Set<String> refused, Set<String> dropped) {
        return new ExtraParameters(refused, dropped);
    }

    /**
     * Refuses the request when it asks for a refused parameter.
     *
     * @throws ProviderException of kind {@code UNSUPPORTED} naming the parameter
     */
    public void check(String provider, ChatRequest request) {
        for (Map.Entry<String, Object> e : request.extra().entrySet()) {
            if (refused.contains(e.getKey()) && asksForSomething(e.getValue())) {
                throw ProviderException.unsupported(provider, request.model(), "the parameter '" + e.getKey() + "'");
            }
        }
    }

    /** Copies every parameter neither refused nor dropped into {@code body}, keeping fields already set. */
    public void copyInto(ObjectNode body, Map<String, Object> extra) {
        extra.forEach((name, value) -> {
            if (!refused.contains(name) && !dropped.contains(name) && !body.has(name)) {
                body.set(name, JsonHttp.mapper().valueToTree(value));
            }
        });
    }

    private static boolean asksForSomething(Object value) {
        return value != null && !Boolean.FALSE.equals(value);
    }
}
