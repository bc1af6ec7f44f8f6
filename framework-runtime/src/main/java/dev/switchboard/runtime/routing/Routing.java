package dev.switchboard.runtime.routing;

import java.util.List;
import java.util.Map;

/**
 * A deployment's ordered routing rules. The first rule that applies picks the variant; when none
 * applies (or there is no context) the default variant is used. A split rule whose key attribute is
 * absent does not apply. Immutable and thread-safe; routing one call evaluates conditions in memory
 * (microseconds, see docs/benchmarks.md).
 *
 * <pre>{@code
 * routing:
 *   - { name: staging, when: { environment: staging }, variant: staging }
 *   - { when: { locale: { in: [de, fr] }, plan: { not_in: [free] } }, variant: eu }
 *   - { split: { key: user_id, weights: { main: 90, candidate: 10 } } }
 * }</pre>
 *
 * @param rules          the rules in order
 * @param defaultVariant the variant when no rule applies
 */
public record Routing(List<RoutingRule> rules, String defaultVariant) {

    /** Copies the rules. */
    public Routing {
        rules = List.copyOf(rules);
    }

    /** The variant for {@code context}. */
    public String route(Map<String, String> context) {
        for (int i = 0; i < rules.size(); i++) {
            String v = rules.get(i).apply(context);
            if (v != null) {
                return v;
            }
        }
        return defaultVariant;
    }

    /** The variant for {@code context}, with the rule that chose it (for explanations). */
    public Decision decide(Map<String, String> context) {
        if (!rules.isEmpty()) {
            for (int i = 0; i < rules.size(); i++) {
                RoutingRule r = rules.get(i);
                String v = r.apply(context);
                if (v != null) {
                    return new Decision(v, i, r.name(), r.split() != null
                            ? "split on " + r.split().key() + "=" + context.get(r.split().key()) + " in rule '" + r.name() + "'"
                            : "rule '" + r.name() + "' matched");
                }
            }
        }
        return new Decision(defaultVariant, -1, null, rules.isEmpty() ? "no routing rules: default variant" : "no rule matched: default variant");
    }

    /**
     * Why a variant was chosen.
     *
     * @param variant   the variant
     * @param ruleIndex the rule's index, or -1 for the default
     * @param ruleName  the rule's name, or null for the default
     * @param reason    a sentence for people
     */
    public record Decision(String variant, int ruleIndex, String ruleName, String reason) {
    }
}
