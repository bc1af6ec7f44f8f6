package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.template.Template;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a merged, interpolated configuration tree into a validated {@link SwitchboardConfig}. Every
 * error names the source, the key path and the problem. Stateless apart from the source name.
 */
public final class ConfigParser {
    private static final Set<String> ROOT_KEYS = Set.of("providers", "deployments", "gateway");
    private static final Set<String> PROVIDER_KEYS = Set.of("type", "base_url", "api_key", "connect_timeout", "request_timeout", "circuit_breaker");
    private static final Set<String> BREAKER_KEYS = Set.of("enabled", "failure_threshold", "failure_window", "delay", "success_threshold");
    private static final Set<String> VARIANT_KEYS = Set.of("model", "messages", "parameters", "retry", "fallbacks", "timeout");
    private static final Set<String> RETRY_KEYS = Set.of("count", "on_codes", "backoff", "max_backoff", "on_connection_errors");
    private static final Set<String> DEPLOYMENT_KEYS;
    private static final String NAME = "[A-Za-z0-9_.\\-]+";

    static {
        Set<String> keys = new LinkedHashSet<>(VARIANT_KEYS);
        keys.addAll(Set.of("variants", "default_variant", "description", "routing"));
        DEPLOYMENT_KEYS = Set.copyOf(keys);
    }

    private final ConfigValues values;
    private final String source;

    /** A parser reporting errors against {@code source}. */
    public ConfigParser(String source) {
        this.source = source;
        this.values = new ConfigValues(source);
    }

    /** Parses and validates the tree. @throws dev.switchboard.api.ConfigException on the first problem */
    public SwitchboardConfig parse(ObjectNode root, List<String> sources) {
        values.allowOnly(root, "", ROOT_KEYS);
        Map<String, ProviderEntry> providers = new LinkedHashMap<>();
        JsonNode p = root.get("providers");
        if (p != null && !p.isNull()) {
            values.object(p, "providers");
            p.properties().forEach(e -> providers.put(e.getKey(), provider(e.getKey(), e.getValue())));
        }
        Map<String, DeploymentConfig> deployments = new LinkedHashMap<>();
        JsonNode d = root.get("deployments");
        if (d != null && !d.isNull()) {
            values.object(d, "deployments");
            d.properties().forEach(e -> deployments.put(e.getKey(), deployment(e.getKey(), e.getValue(), providers.keySet())));
        }
        JsonNode g = root.get("gateway");
        if (g != null && !g.isNull()) {
            values.object(g, "gateway");
        }
        return new SwitchboardConfig(providers, deployments, g == null || g.isNull() ? null : (ObjectNode) g.deepCopy(), sources,
                Versions.of(root));
    }

    private ProviderEntry provider(String name, JsonNode node) {
        String path = "providers." + name;
        if (!name.matches(NAME) || name.contains("/")) {
            throw values.error(path, "provider names are letters, digits, _ . - (no slash)");
        }
        values.object(node, path);
        Map<String, Object> options = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!PROVIDER_KEYS.contains(e.getKey())) {
                options.put(e.getKey(), values.plain(e.getValue()));
            }
        });
        Duration connect = values.duration(node.get("connect_timeout"), path + ".connect_timeout");
        Duration request = values.duration(node.get("request_timeout"), path + ".request_timeout");
        return new ProviderEntry(name, values.requiredText(node.get("type"), path + ".type"),
                values.text(node.get("base_url"), path + ".base_url"),
                Secret.of(values.text(node.get("api_key"), path + ".api_key")),
                connect == null ? Duration.ofSeconds(10) : connect,
                request == null ? Duration.ofSeconds(120) : request,
                breaker(node.get("circuit_breaker"), path + ".circuit_breaker"), options);
    }

    private BreakerSpec breaker(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return BreakerSpec.DEFAULT;
        }
        values.object(node, path);
        values.allowOnly(node, path, BREAKER_KEYS);
        BreakerSpec d = BreakerSpec.DEFAULT;
        int threshold = node.has("failure_threshold") ? values.integer(node.get("failure_threshold"), path + ".failure_threshold", 1, 10_000) : d.failureThreshold();
        int window = node.has("failure_window") ? values.integer(node.get("failure_window"), path + ".failure_window", 1, 10_000) : Math.max(threshold, d.failureWindow());
        if (window < threshold) {
            throw values.error(path + ".failure_window", "must be at least failure_threshold (" + threshold + "), was " + window);
        }
        Duration delay = node.has("delay") ? values.duration(node.get("delay"), path + ".delay") : d.delay();
        return new BreakerSpec(!node.has("enabled") || values.bool(node.get("enabled"), path + ".enabled"), threshold, window, delay,
                node.has("success_threshold") ? values.integer(node.get("success_threshold"), path + ".success_threshold", 1, 1000) : d.successThreshold());
    }

    private DeploymentConfig deployment(String key, JsonNode node, Set<String> providers) {
        String path = "deployments." + key;
        if (!key.matches(NAME)) {
            throw values.error(path, "deployment keys are letters, digits, _ . -");
        }
        values.object(node, path);
        values.allowOnly(node, path, DEPLOYMENT_KEYS);
        Map<String, VariantConfig> variants = new LinkedHashMap<>();
        JsonNode vs = node.get("variants");
        boolean shorthand = VARIANT_KEYS.stream().anyMatch(node::has);
        if (vs != null && shorthand) {
            throw values.error(path, "use either variants or the shorthand keys (model, messages, …), not both");
        }
        if (vs != null) {
            values.object(vs, path + ".variants");
            if (vs.isEmpty()) {
                throw values.error(path + ".variants", "needs at least one variant");
            }
            vs.properties().forEach(e -> {
                if (!e.getKey().matches(NAME)) {
                    throw values.error(path + ".variants." + e.getKey(), "variant names are letters, digits, _ . -");
                }
                variants.put(e.getKey(), variant(e.getKey(), e.getValue(), path + ".variants." + e.getKey(), providers));
            });
        } else {
            variants.put("default", variant("default", node, path, providers));
        }
        String dflt = node.has("default_variant") ? values.requiredText(node.get("default_variant"), path + ".default_variant")
                : variants.keySet().iterator().next();
        if (!variants.containsKey(dflt)) {
            throw values.error(path + ".default_variant", "'" + dflt + "' is not a variant (variants: " + variants.keySet() + ")");
        }
        return new DeploymentConfig(key, variants, dflt,
                new RoutingParser(values).parse(key, node.get("routing"), path + ".routing", variants.keySet(), dflt), Versions.of(node));
    }

    /** Parses one variant (also used for gateway requests' inline policies). */
    VariantConfig variant(String name, JsonNode node, String path, Set<String> providers) {
        values.object(node, path);
        values.allowOnly(node, path, node.has("default_variant") || node.has("description") || node.has("routing") ? DEPLOYMENT_KEYS : VARIANT_KEYS);
        ModelRef model = node.has("model") ? values.modelRef(node.get("model"), path + ".model", providers) : null;
        List<MessageTemplate> messages = node.has("messages") ? messages(node.get("messages"), path + ".messages") : null;
        Map<String, Object> params = new LinkedHashMap<>();
        if (node.has("parameters")) {
            values.object(node.get("parameters"), path + ".parameters");
            node.get("parameters").properties().forEach(e -> params.put(e.getKey(), values.plain(e.getValue())));
        }
        List<ModelRef> fallbacks = null;
        if (node.has("fallbacks")) {
            JsonNode f = node.get("fallbacks");
            if (!f.isArray()) {
                throw values.error(path + ".fallbacks", "must be a list of provider/model references");
            }
            fallbacks = new ArrayList<>();
            for (int i = 0; i < f.size(); i++) {
                fallbacks.add(values.modelRef(f.get(i), path + ".fallbacks[" + i + "]", providers));
            }
        }
        return new VariantConfig(name, model, messages, params, node.has("retry") ? retry(node.get("retry"), path + ".retry") : null,
                fallbacks, values.duration(node.get("timeout"), path + ".timeout"));
    }

    private List<MessageTemplate> messages(JsonNode node, String path) {
        if (!node.isArray()) {
            throw values.error(path, "must be a list of {role, content}");
        }
        List<MessageTemplate> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode m = values.object(node.get(i), p);
            values.allowOnly(m, p, Set.of("role", "content"));
            Role role;
            try {
                role = Role.fromWire(values.requiredText(m.get("role"), p + ".role"));
            } catch (IllegalArgumentException e) {
                throw values.error(p + ".role", e.getMessage());
            }
            if (role == Role.TOOL) {
                throw values.error(p + ".role", "tool messages cannot be templates");
            }
            String content = values.text(m.get("content"), p + ".content");
            if (content == null) {
                throw values.error(p + ".content", "is required");
            }
            try {
                out.add(new MessageTemplate(role, Template.compile(content)));
            } catch (IllegalArgumentException e) {
                throw values.error(p + ".content", e.getMessage());
            }
        }
        return out;
    }

    private RetrySpec retry(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            return new RetrySpec(values.integer(node, path, 0, 20), RetrySpec.DEFAULT_CODES, RetrySpec.NONE.backoff(), RetrySpec.NONE.maxBackoff(), true);
        }
        values.object(node, path);
        values.allowOnly(node, path, RETRY_KEYS);
        int count = values.integer(node.get("count"), path + ".count", 0, 20);
        Set<Integer> codes = new LinkedHashSet<>();
        if (node.has("on_codes")) {
            JsonNode c = node.get("on_codes");
            if (!c.isArray()) {
                throw values.error(path + ".on_codes", "must be a list of HTTP status codes");
            }
            for (int i = 0; i < c.size(); i++) {
                codes.add(values.integer(c.get(i), path + ".on_codes[" + i + "]", 100, 599));
            }
        } else {
            codes.addAll(RetrySpec.DEFAULT_CODES);
        }
        Duration backoff = node.has("backoff") ? values.duration(node.get("backoff"), path + ".backoff") : RetrySpec.NONE.backoff();
        Duration max = node.has("max_backoff") ? values.duration(node.get("max_backoff"), path + ".max_backoff") : RetrySpec.NONE.maxBackoff();
        if (max.compareTo(backoff) < 0) {
            throw values.error(path + ".max_backoff", "must be at least backoff (" + backoff.toMillis() + " ms)");
        }
        boolean conn = !node.has("on_connection_errors") || values.bool(node.get("on_connection_errors"), path + ".on_connection_errors");
        return new RetrySpec(count, codes, backoff, max, conn);
    }

    /** The source this parser reports against. */
    public String source() {
        return source;
    }
}
