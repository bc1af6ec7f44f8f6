package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.routing.Condition;
import dev.switchboard.runtime.routing.Routing;
import dev.switchboard.runtime.routing.RoutingRule;
import dev.switchboard.runtime.routing.Split;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses a deployment's {@code routing:} list, validating every rule when configuration is loaded: an
 * unknown variant, a bad regex, weights not summing to 100, an unknown operator or an operand of the
 * wrong type fail with the deployment, the rule and the key path.
 *
 * <p>A condition ({@code when}) is a mapping. Its keys are attribute names, or {@code all}/{@code any}
 * (a list of conditions) or {@code not} (a condition); all keys must hold. An attribute's value is a
 * scalar (equals) or a mapping of operators: {@code eq}, {@code in}, {@code not_in}, {@code prefix},
 * {@code regex}, {@code exists}, {@code lt}, {@code lte}, {@code gt}, {@code gte}.
 */
final class RoutingParser {
    private static final Set<String> RULE_KEYS = Set.of("name", "when", "variant", "split");
    private final ConfigValues values;

    RoutingParser(ConfigValues values) {
        this.values = values;
    }

    Routing parse(String deployment, JsonNode node, String path, Set<String> variants, String defaultVariant) {
        if (node == null || node.isNull()) {
            return new Routing(List.of(), defaultVariant);
        }
        if (!node.isArray()) {
            throw values.error(path, "must be a list of rules");
        }
        List<RoutingRule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode r = values.object(node.get(i), p);
            values.allowOnly(r, p, RULE_KEYS);
            String name = r.has("name") ? values.requiredText(r.get("name"), p + ".name") : "rule-" + i;
            if (!names.add(name)) {
                throw values.error(p + ".name", "rule name '" + name + "' is used twice");
            }
            Condition when = r.has("when") ? condition(r.get("when"), p + ".when") : Condition.ALWAYS;
            if (r.has("variant") == r.has("split")) {
                throw values.error(p, "a rule needs either variant or split");
            }
            String variant = null;
            Split split = null;
            if (r.has("variant")) {
                variant = values.requiredText(r.get("variant"), p + ".variant");
                checkVariant(variant, variants, p + ".variant");
            } else {
                split = split(deployment + "/" + name, r.get("split"), p + ".split", variants);
            }
            rules.add(new RoutingRule(name, when, variant, split));
        }
        return new Routing(rules, defaultVariant);
    }

    private Split split(String salt, JsonNode node, String path, Set<String> variants) {
        values.object(node, path);
        values.allowOnly(node, path, Set.of("key", "weights"));
        String key = values.requiredText(node.get("key"), path + ".key");
        JsonNode w = values.object(node.get("weights"), path + ".weights");
        List<Split.Weight> weights = new ArrayList<>();
        double sum = 0;
        for (Map.Entry<String, JsonNode> e : w.properties()) {
            checkVariant(e.getKey(), variants, path + ".weights." + e.getKey());
            if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                throw values.error(path + ".weights." + e.getKey(), "must be a non-negative number (percent)");
            }
            weights.add(new Split.Weight(e.getKey(), e.getValue().asDouble()));
            sum += e.getValue().asDouble();
        }
        if (weights.isEmpty() || Math.abs(sum - 100) > 1e-6) {
            throw values.error(path + ".weights", "weights must sum to 100, they sum to " + sum);
        }
        return new Split(key, salt, weights);
    }

    private void checkVariant(String variant, Set<String> variants, String path) {
        if (!variants.contains(variant)) {
            throw values.error(path, "unknown variant '" + variant + "' (variants: " + variants + ")");
        }
    }

    private Condition condition(JsonNode node, String path) {
        values.object(node, path);
        List<Condition> all = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String p = path + "." + e.getKey();
            switch (e.getKey()) {
                case "all" -> all.add(new Condition.All(list(e.getValue(), p)));
                case "any" -> all.add(new Condition.Any(list(e.getValue(), p)));
                case "not" -> all.add(new Condition.Not(condition(e.getValue(), p)));
                default -> all.add(attribute(e.getKey(), e.getValue(), p));
            }
        }
        return all.size() == 1 ? all.get(0) : new Condition.All(all);
    }

    private List<Condition> list(JsonNode node, String path) {
        if (!node.isArray() || node.isEmpty()) {
            throw values.error(path, "must be a non-empty list of conditions");
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(condition(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private Condition attribute(String attr, JsonNode node, String path) {
        if (node.isValueNode()) {
            return new Condition.Equals(attr, node.asText());
        }
        values.object(node, path);
        List<Condition> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String p = path + "." + e.getKey();
            JsonNode v = e.getValue();
            ops.add(switch (e.getKey()) {
                case "eq" -> new Condition.Equals(attr, scalar(v, p));
                case "in" -> new Condition.In(attr, strings(v, p), false);
                case "not_in" -> new Condition.In(attr, strings(v, p), true);
                case "prefix" -> new Condition.Prefix(attr, scalar(v, p));
                case "regex" -> new Condition.Regex(attr, regex(v, p));
                case "exists" -> new Condition.Exists(attr, values.bool(v, p));
                case "lt" -> new Condition.Compare(attr, Condition.Compare.Op.LT, number(v, p));
                case "lte" -> new Condition.Compare(attr, Condition.Compare.Op.LTE, number(v, p));
                case "gt" -> new Condition.Compare(attr, Condition.Compare.Op.GT, number(v, p));
                case "gte" -> new Condition.Compare(attr, Condition.Compare.Op.GTE, number(v, p));
                default -> throw values.error(p, "unknown operator (use eq, in, not_in, prefix, regex, exists, lt, lte, gt, gte)");
            });
        }
        if (ops.isEmpty()) {
            throw values.error(path, "needs at least one operator");
        }
        return ops.size() == 1 ? ops.get(0) : new Condition.All(ops);
    }

    private String scalar(JsonNode v, String path) {
        if (!v.isValueNode() || v.isNull()) {
            throw values.error(path, "must be a single value, found " + ConfigValues.kind(v));
        }
        return v.asText();
    }

    private Set<String> strings(JsonNode v, String path) {
        if (!v.isArray() || v.isEmpty()) {
            throw values.error(path, "must be a non-empty list of values");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(scalar(v.get(i), path + "[" + i + "]"));
        }
        return Set.copyOf(out);
    }

    private double number(JsonNode v, String path) {
        if (!v.isNumber()) {
            throw values.error(path, "must be a number, found " + ConfigValues.kind(v));
        }
        return v.asDouble();
    }

    private Pattern regex(JsonNode v, String path) {
        String s = scalar(v, path);
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw values.error(path, "bad regex: " + e.getDescription() + " near index " + e.getIndex());
        }
    }
}
