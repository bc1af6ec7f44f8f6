package dev.switchboard.runtime.routing;

import java.util.Map;
import java.util.Objects;

/**
 * One routing rule: when {@code condition} holds, the call goes to {@code variant}, or is split by
 * {@code split}. Exactly one of the two is set. Immutable and thread-safe.
 *
 * @param name      the rule's name (given in config, or {@code rule-<index>})
 * @param condition when the rule applies
 * @param variant   the variant it picks, or null for a split
 * @param split     the split it applies, or null
 */
public record RoutingRule(String name, Condition condition, String variant, Split split) {

    /** Checks that exactly one target is set. */
    public RoutingRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        if ((variant == null) == (split == null)) {
            throw new IllegalArgumentException("a rule has either a variant or a split");
        }
    }

    /** The variant this rule picks for {@code context}, or null when it does not apply. */
    String apply(Map<String, String> context) {
        if (!condition.test(context)) {
            return null;
        }
        if (variant != null) {
            return variant;
        }
        String value = context.get(split.key());
        return value == null ? null : split.pick(value);
    }
}
