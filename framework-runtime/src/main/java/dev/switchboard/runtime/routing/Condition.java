package dev.switchboard.runtime.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test on a call's routing context (string attributes). Immutable and thread-safe; built by the
 * configuration parser, which validates operands. Numeric operators compare the attribute parsed as a
 * number; an attribute that is absent or not a number does not match them.
 */
public sealed interface Condition {

    /** Whether {@code context} satisfies this condition. */
    boolean test(Map<String, String> context);

    /** Always true (a rule without {@code when}). */
    Condition ALWAYS = new All(List.of());

    /** The attribute equals {@code value}. */
    record Equals(String attribute, String value) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            return value.equals(context.get(attribute));
        }
    }

    /** The attribute is one of {@code values} (or, negated, present and none of them). */
    record In(String attribute, Set<String> values, boolean negated) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            String v = context.get(attribute);
            if (v == null) {
                return false;
            }
            return values.contains(v) != negated;
        }
    }

    /** The attribute starts with {@code prefix}. */
    record Prefix(String attribute, String prefix) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            String v = context.get(attribute);
            return v != null && v.startsWith(prefix);
        }
    }

    /** The attribute matches {@code pattern} entirely. */
    record Regex(String attribute, Pattern pattern) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            String v = context.get(attribute);
            return v != null && pattern.matcher(v).matches();
        }
    }

    /** The attribute is present (or, with {@code present = false}, absent). */
    record Exists(String attribute, boolean present) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            return context.containsKey(attribute) == present;
        }
    }

    /** The attribute, as a number, compares to {@code bound} with {@code op}. */
    record Compare(String attribute, Op op, double bound) implements Condition {
        /** Numeric comparisons. */
        public enum Op {
            /** Less than. */
            LT,
            /** Less than or equal. */
            LTE,
            /** Greater than. */
            GT,
            /** Greater than or equal. */
            GTE
        }

        @Override
        public boolean test(Map<String, String> context) {
            String v = context.get(attribute);
            if (v == null) {
                return false;
            }
            double d;
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            return switch (op) {
                case LT -> d < bound;
                case LTE -> d <= bound;
                case GT -> d > bound;
                case GTE -> d >= bound;
            };
        }
    }

    /** Every condition holds (true when empty). */
    record All(List<Condition> conditions) implements Condition {
        /** Copies the list. */
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean test(Map<String, String> context) {
            for (Condition c : conditions) {
                if (!c.test(context)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** At least one condition holds. */
    record Any(List<Condition> conditions) implements Condition {
        /** Copies the list. */
        public Any {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean test(Map<String, String> context) {
            for (Condition c : conditions) {
                if (c.test(context)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The condition does not hold. */
    record Not(Condition condition) implements Condition {
        @Override
        public boolean test(Map<String, String> context) {
            return !condition.test(context);
        }
    }
}
