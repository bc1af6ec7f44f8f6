package dev.switchboard.runtime.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A message template with {@code {{name}}} placeholders, compiled once. Immutable and thread-safe.
 *
 * <pre>{@code
 * Template t = Template.compile("You answer for {{company}}.");
 * t.variables();                       // [company]
 * t.render(Map.of("company", "ACME"));  // "You answer for ACME."
 * }</pre>
 *
 * <p>Names are letters, digits, {@code _ - .}; whitespace inside the braces is ignored. {@code \{{}
 * writes a literal {@code {{}. A placeholder without a value is an error, never an empty string.
 */
public final class Template {
    private final String source;
    private final String[] literals;
    private final String[] names;
    private final Set<String> variables;

    private Template(String source, List<String> literals, List<String> names) {
        this.source = source;
        this.literals = literals.toArray(new String[0]);
        this.names = names.toArray(new String[0]);
        this.variables = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /**
     * Compiles a template.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder or a bad name, with its position
     */
    public static Template compile(String source) {
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("\\{{", i)) {
                lit.append("{{");
                i += 3;
            } else if (source.startsWith("{{", i)) {
                int end = source.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '{{' at position " + i);
                }
                String name = source.substring(i + 2, end).trim();
                if (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+")) {
                    throw new IllegalArgumentException("bad placeholder '{{" + source.substring(i + 2, end) + "}}' at position " + i
                            + " (names are letters, digits, _ - .)");
                }
                literals.add(lit.toString());
                lit.setLength(0);
                names.add(name);
                i = end + 2;
            } else {
                lit.append(source.charAt(i++));
            }
        }
        literals.add(lit.toString());
        return new Template(source, literals, names);
    }

    /** The template text as written. */
    public String source() {
        return source;
    }

    /** Placeholder names in order of first use. */
    public Set<String> variables() {
        return variables;
    }

    /** Whether the template has no placeholder. */
    public boolean isConstant() {
        return names.length == 0;
    }

    /**
     * Renders with values from {@code vars} ({@link String#valueOf} of each value).
     *
     * @throws MissingVariableException naming the first placeholder without a value
     */
    public String render(Map<String, ?> vars) {
        return render(vars::get);
    }

    /** Renders with values from a lookup; see {@link #render(Map)}. */
    public String render(Function<String, ?> lookup) {
        if (names.length == 0) {
            return literals[0];
        }
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (int i = 0; i < names.length; i++) {
            sb.append(literals[i]);
            Object v = lookup.apply(names[i]);
            if (v == null) {
                throw new MissingVariableException(names[i]);
            }
            sb.append(v);
        }
        return sb.append(literals[names.length]).toString();
    }

    @Override
    public String toString() {
        return source;
    }

    /** A placeholder had no value. */
    public static final class MissingVariableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String variable;

        MissingVariableException(String variable) {
            super("no value for {{" + variable + "}}", null, false, false);
            this.variable = variable;
        }

        /** The placeholder's name. */
        public String variable() {
            return variable;
        }
    }
}
