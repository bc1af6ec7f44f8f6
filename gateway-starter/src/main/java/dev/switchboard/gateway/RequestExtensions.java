package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.runtime.config.RetrySpec;
import dev.switchboard.runtime.config.VariantConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;

/**
 * The gateway's request-body extensions, validated, with errors naming the field:
 * <ul>
 *   <li>{@code retry}: a count, or {@code {count, on_codes, backoff, max_backoff}} (count 0..10, codes 400..599)</li>
 *   <li>{@code fallbacks}: up to 10 {@code provider/model} references of configured providers</li>
 *   <li>{@code timeout}: the call's total budget ({@code 30s}, {@code 500ms} or seconds; at most 10 minutes)</li>
 *   <li>{@code context}: routing context, up to 64 scalar values of at most 1,024 characters</li>
 *   <li>{@code inputs}: template variables (any JSON; objects and arrays are passed as JSON text)</li>
 *   <li>{@code metadata}: call-log metadata, up to 16 scalar values; keys of at most 64 and values of at most 512 characters</li>
 * </ul>
 * Immutable.
 *
 * @param retry     per-call retry policy, or null
 * @param fallbacks per-call fallbacks, or null
 * @param timeout   per-call time budget, or null
 * @param context   routing context
 * @param inputs    template variables
 * @param metadata  call-log metadata
 */
record RequestExtensions(RetrySpec retry, List<ModelRef> fallbacks, Duration timeout, Map<String, String> context,
                         Map<String, Object> inputs, Map<String, String> metadata) {
    /** The body fields this record reads. */
    static final List<String> FIELDS = List.of("retry", "fallbacks", "timeout", "context", "inputs", "metadata");
    /** Body fields refused because they would choose a provider's URL or key (see {@link #refuseRoutingFields}). */
    static final List<String> ROUTING_FIELDS = List.of("base_url", "baseURL", "api_base", "api_url", "endpoint", "api_key", "apiKey");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Reads and removes the extension fields of {@code body}, so the rest can be read as an OpenAI request.
     *
     * @param providers the configured provider names, which fallbacks must use
     * @throws GatewayException 400 naming the field at fault
     */
    static RequestExtensions take(ObjectNode body, Set<String> providers) {
        refuseRoutingFields(body);
        RequestExtensions e = new RequestExtensions(retry(body.get("retry")), fallbacks(body.get("fallbacks"), providers),
                timeout(body.get("timeout")), scalars(body.get("context"), "context", 64, 256, 1024),
                inputs(body.get("inputs")), scalars(body.get("metadata"), "metadata", 16, 64, 512));
        body.remove(FIELDS);
        return e;
    }

    /**
     * Refuses body fields that would say where or with which key a provider is called ({@link #ROUTING_FIELDS}):
     * providers, their URLs and their keys come from the configuration only, so no request can reach another host.
     *
     * @throws GatewayException 400 naming the field
     */
    static void refuseRoutingFields(ObjectNode body) {
        for (String f : ROUTING_FIELDS) {
            if (body.has(f)) {
                throw GatewayException.badRequest(f, f + " cannot be set in a request: providers, their URLs and their keys"
                        + " come from the gateway's configuration (name a configured provider in model or fallbacks)");
            }
        }
    }

    /** Per-call policy overrides with {@code model} (null for a deployment call), or null when there is nothing to override. */
    VariantConfig overrides(ModelRef model) {
        if (model == null && retry == null && fallbacks == null && timeout == null) {
            return null;
        }
        return new VariantConfig("default", model, null, Map.of(), retry, fallbacks, timeout);
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    private static RetrySpec retry(JsonNode n) {
        if (absent(n)) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return new RetrySpec(count(n, "retry"), RetrySpec.DEFAULT_CODES, RetrySpec.NONE.backoff(), RetrySpec.NONE.maxBackoff(), true);
        }
        if (!n.isObject()) {
            throw GatewayException.badRequest("retry", "retry must be a count or an object {count, on_codes}, was " + n.getNodeType());
        }
        Set<String> known = Set.of("count", "on_codes", "backoff", "max_backoff");
        n.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw GatewayException.badRequest("retry." + k, "retry has no field '" + k + "' (known: count, on_codes, backoff, max_backoff)");
            }
        });
        int count = n.has("count") ? count(n.get("count"), "retry.count") : 1;
        Set<Integer> codes = new LinkedHashSet<>(RetrySpec.DEFAULT_CODES);
        JsonNode c = n.get("on_codes");
        if (!absent(c)) {
            if (!c.isArray()) {
                throw GatewayException.badRequest("retry.on_codes", "retry.on_codes must be an array of HTTP statuses");
            }
            codes.clear();
            for (int i = 0; i < c.size(); i++) {
                JsonNode code = c.get(i);
                if (!code.isIntegralNumber() || code.asInt() < 400 || code.asInt() > 599) {
                    throw GatewayException.badRequest("retry.on_codes[" + i + "]", "retry.on_codes[" + i + "] must be an HTTP error status (400-599), was " + code);
                }
                codes.add(code.asInt());
            }
        }
        Duration backoff = n.has("backoff") ? duration(n.get("backoff"), "retry.backoff") : RetrySpec.NONE.backoff();
        Duration max = n.has("max_backoff") ? duration(n.get("max_backoff"), "retry.max_backoff") : RetrySpec.NONE.maxBackoff();
        if (max.compareTo(backoff) < 0) {
            throw GatewayException.badRequest("retry.max_backoff", "retry.max_backoff must be at least retry.backoff");
        }
        return new RetrySpec(count, codes, backoff, max, true);
    }

    private static int count(JsonNode n, String field) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 10) {
            throw GatewayException.badRequest(field, field + " must be a whole number from 0 to 10, was " + n);
        }
        return n.asInt();
    }

    private static List<ModelRef> fallbacks(JsonNode n, Set<String> providers) {
        if (absent(n)) {
            return null;
        }
        if (!n.isArray() || n.size() > 10) {
            throw GatewayException.badRequest("fallbacks", "fallbacks must be an array of at most 10 provider/model references");
        }
        List<ModelRef> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String field = "fallbacks[" + i + "]";
            if (!n.get(i).isTextual()) {
                throw GatewayException.badRequest(field, field + " must be a provider/model string, was " + n.get(i).getNodeType());
            }
            ModelRef ref;
            try {
                ref = ModelRef.parse(n.get(i).textValue());
            } catch (IllegalArgumentException e) {
                throw GatewayException.badRequest(field, field + ": " + e.getMessage());
            }
            if (!providers.contains(ref.provider())) {
                throw GatewayException.badRequest(field, field + ": unknown provider '" + ref.provider() + "' (configured: " + providers + ")");
            }
            out.add(ref);
        }
        return out;
    }

    private static Duration timeout(JsonNode n) {
        if (absent(n)) {
            return null;
        }
        Duration d = duration(n, "timeout");
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw GatewayException.badRequest("timeout", "timeout must be more than 0 and at most 10m, was " + n);
        }
        return d;
    }

    private static Duration duration(JsonNode n, String field) {
        Duration d = GatewaySettings.parseDuration(n);
        if (d == null) {
            throw GatewayException.badRequest(field, field + " must be a duration such as 500ms, 30s or 2m, was " + n);
        }
        return d;
    }

    private static Map<String, String> scalars(JsonNode n, String field, int maxEntries, int maxKey, int maxValue) {
        if (absent(n)) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw GatewayException.badRequest(field, field + " must be an object of string values, was " + n.getNodeType());
        }
        if (n.size() > maxEntries) {
            throw GatewayException.badRequest(field, field + " has " + n.size() + " entries; at most " + maxEntries + " are allowed");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry<String, JsonNode> e : n.properties()) {
            String path = field + "." + e.getKey();
            if (e.getKey().isEmpty() || e.getKey().length() > maxKey) {
                throw GatewayException.badRequest(path, field + " keys must have 1 to " + maxKey + " characters");
            }
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw GatewayException.badRequest(path, path + " must be a string, number or boolean, was " + v.getNodeType());
            }
            String s = v.asText();
            if (s.length() > maxValue) {
                throw GatewayException.badRequest(path, path + " has " + s.length() + " characters; at most " + maxValue + " are allowed");
            }
            out.put(e.getKey(), s);
        }
        return Map.copyOf(out);
    }

    private static Map<String, Object> inputs(JsonNode n) {
        if (absent(n)) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw GatewayException.badRequest("inputs", "inputs must be an object of template variables, was " + n.getNodeType());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                throw GatewayException.badRequest("inputs." + e.getKey(), "inputs." + e.getKey() + " must not be null");
            }
            out.put(e.getKey(), v.isTextual() ? v.textValue() : v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.toString());
        }
        return Map.copyOf(out);
    }
}
