package dev.switchboard.runtime.calllog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data and credentials from logged text: literal secrets first (every occurrence of a
 * configured API key becomes {@code ****}), then regular expressions, each with its replacement. The
 * built-in rules replace e-mail addresses ({@code [EMAIL]}), card numbers that pass the Luhn check
 * ({@code [CARD]}), bearer tokens and {@code sk-…} style API keys ({@code [SECRET]}). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Redactor r = Redactor.builtIn().with("\\bACC-\\d{8}\\b", "[ACCOUNT]");
 * r.apply("mail me at ann@example.com", List.of());   // "mail me at [EMAIL]"
 * }</pre>
 */
public final class Redactor {
    /** Secrets shorter than this are not masked (they would match ordinary text). */
    public static final int MIN_SECRET_LENGTH = 6;

    // Each built-in rule has a cheap test that a text may match, so most texts skip its regular expression.
    private static final Rule EMAIL = new Rule(Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), "[EMAIL]", false,
            t -> t.indexOf('@') >= 0);
    private static final Rule CARD = new Rule(Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"), "[CARD]", true,
            t -> digits(t) >= 13);
    private static final Rule BEARER = new Rule(Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer [SECRET]", false,
            t -> containsIgnoreCase(t, "bearer"));
    private static final Rule API_KEY = new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), "[SECRET]", false,
            t -> t.contains("sk-"));
    private static final Redactor NONE = new Redactor(List.of());
    private static final Redactor BUILT_IN = new Redactor(List.of(EMAIL, CARD, BEARER, API_KEY));

    private final List<Rule> rules;

    /** A rule; {@code mayMatch} is false only for texts the pattern cannot match. */
    private record Rule(Pattern pattern, String replacement, boolean luhn, Predicate<String> mayMatch) {
    }

    private Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** A redactor with no rules (secrets are still masked). */
    public static Redactor none() {
        return NONE;
    }

    /** The built-in rules: e-mail addresses, card numbers, bearer tokens, {@code sk-} keys. */
    public static Redactor builtIn() {
        return BUILT_IN;
    }

    /**
     * This redactor plus a rule replacing matches of {@code regex} with {@code replacement}.
     *
     * @throws java.util.regex.PatternSyntaxException when the expression is invalid
     */
    public Redactor with(String regex, String replacement) {
        List<Rule> more = new ArrayList<>(rules);
        more.add(new Rule(Pattern.compile(regex), Objects.requireNonNull(replacement, "replacement"), false, t -> true));
        return new Redactor(more);
    }

    /** This redactor plus a rule replacing matches of {@code regex} with {@code [REDACTED]}. */
    public Redactor with(String regex) {
        return with(regex, "[REDACTED]");
    }

    /** {@code text} with {@code secrets} masked and every rule applied; null stays null. */
    public String apply(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = maskSecrets(text, secrets);
        for (Rule r : rules) {
            if (!r.mayMatch().test(out)) {
                continue;
            }
            out = r.luhn() ? replaceCards(r, out) : r.pattern().matcher(out).replaceAll(Matcher.quoteReplacement(r.replacement()));
        }
        return out;
    }

    /** {@code text} with every occurrence of each secret (of at least {@link #MIN_SECRET_LENGTH} characters) as {@code ****}. */
    public static String maskSecrets(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH && out.contains(s)) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    private static String replaceCards(Rule r, String text) {
        Matcher m = r.pattern().matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (luhn(m.group())) {
                if (sb == null) {
                    sb = new StringBuilder(text.length());
                }
                sb.append(text, last, m.start()).append(r.replacement());
                last = m.end();
            }
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether {@code s} holds {@code lowerNeedle} (lower-case ASCII) in any mix of ASCII case, as the rules' {@code (?i)}
     * matches it. Checks only where the needle's first letter is, found by {@link String#indexOf(int, int)} (a fast
     * scan), not at every position.
     */
    static boolean containsIgnoreCase(String s, String lowerNeedle) {
        char lower = lowerNeedle.charAt(0);
        char upper = Character.toUpperCase(lower);
        int n = lowerNeedle.length();
        int end = s.length() - n;
        int lo = s.indexOf(lower);
        int up = s.indexOf(upper);
        while (lo >= 0 || up >= 0) {
            int i = lo < 0 ? up : up < 0 ? lo : Math.min(lo, up);
            if (i > end) {
                return false;
            }
            if (s.regionMatches(true, i, lowerNeedle, 0, n)) {
                return true;
            }
            if (i == lo) {
                lo = s.indexOf(lower, i + 1);
            } else {
                up = s.indexOf(upper, i + 1);
            }
        }
        return false;
    }

    /** Whether the digits of {@code s} pass the Luhn checksum. */
    static boolean luhn(String s) {
        int sum = 0;
        boolean twice = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
