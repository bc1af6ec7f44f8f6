package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One immutable version of a deployment's definition in a {@link DeploymentStore}: its number
 * ({@code 1, 2, 3…}, shown as {@code v1, v2, v3…}), when and by whom it was published, why, and the
 * definition itself: the tree that would sit under {@code deployments.<key>} in {@code switchboard.yaml}.
 * Immutable and thread-safe: the definition is copied in and handed out as a copy.
 *
 * <pre>{@code
 * DeploymentVersion v = DeploymentVersion.builder("support", 3)
 *     .author("alice").message("shorter answers").definition(tree).build();
 * v.label();   // "v3"
 * }</pre>
 */
public final class DeploymentVersion {
    private final String key;
    private final int number;
    private final Instant createdAt;
    private final String author;
    private final String message;
    private final ObjectNode definition;

    private DeploymentVersion(Builder b) {
        this.key = b.key;
        this.number = b.number;
        this.createdAt = b.createdAt;
        this.author = b.author;
        this.message = b.message;
        this.definition = b.definition.deepCopy();
    }

    /**
     * A builder for version {@code number} of {@code key}.
     *
     * @throws IllegalArgumentException when {@code number} is below 1
     */
    public static Builder builder(String key, int number) {
        return new Builder(key, number);
    }

    /** The label of version {@code number}: {@code v} and the number ({@code v3}). */
    public static String label(int number) {
        return "v" + number;
    }

    /**
     * The number in a label or a plain number: {@code "v3"} and {@code "3"} give 3.
     *
     * @throws IllegalArgumentException when {@code text} is neither, or below 1
     */
    public static int parseNumber(String text) {
        String t = text == null ? "" : text.trim();
        String digits = t.startsWith("v") || t.startsWith("V") ? t.substring(1) : t;
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit) || Integer.parseInt(digits) < 1) {
            throw new IllegalArgumentException("a version is v1, v2, … or 1, 2, …; was '" + text + "'");
        }
        return Integer.parseInt(digits);
    }

    /** The deployment key. */
    public String key() {
        return key;
    }

    /** The version number, from 1. */
    public int number() {
        return number;
    }

    /** {@code v} and the number, as set in {@code DeploymentConfig.version} and reported with every call. */
    public String label() {
        return label(number);
    }

    /** When it was published (millisecond precision). */
    public Instant createdAt() {
        return createdAt;
    }

    /** Who published it. */
    public String author() {
        return author;
    }

    /** Why it was published (may be empty). */
    public String message() {
        return message;
    }

    /** A copy of the definition. */
    public ObjectNode definition() {
        return definition.deepCopy();
    }

    /** A copy of this version with another number, time, author and message (used by rollback). */
    Builder toBuilder(int newNumber) {
        return builder(key, newNumber).author(author).message(message).createdAt(createdAt).definition(definition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentVersion v && v.key.equals(key) && v.number == number && v.createdAt.equals(createdAt)
                && v.author.equals(author) && v.message.equals(message) && v.definition.equals(definition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, number, createdAt);
    }

    @Override
    public String toString() {
        return key + "@" + label() + " (" + createdAt + " by " + author + (message.isEmpty() ? "" : ": " + message) + ")";
    }

    /** Builds a {@link DeploymentVersion}. Not thread-safe. */
    public static final class Builder {
        private final String key;
        private final int number;
        private Instant createdAt = Instant.now();
        private String author = "unknown";
        private String message = "";
        private ObjectNode definition;

        private Builder(String key, int number) {
            this.key = Objects.requireNonNull(key, "key");
            if (number < 1) {
                throw new IllegalArgumentException("version numbers start at 1, was " + number);
            }
            this.number = number;
        }

        /** When it was published (default: now); truncated to milliseconds. */
        public Builder createdAt(Instant t) {
            createdAt = Objects.requireNonNull(t, "createdAt");
            return this;
        }

        /** Who published it (default {@code unknown}). */
        public Builder author(String a) {
            author = a == null || a.isBlank() ? "unknown" : a.strip();
            return this;
        }

        /** Why (default empty). */
        public Builder message(String m) {
            message = m == null ? "" : m.strip();
            return this;
        }

        /** The definition (copied). */
        public Builder definition(ObjectNode d) {
            definition = Objects.requireNonNull(d, "definition").deepCopy();
            return this;
        }

        /** Builds. @throws IllegalStateException when no definition was given */
        public DeploymentVersion build() {
            if (definition == null) {
                throw new IllegalStateException("a deployment version needs a definition");
            }
            createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
            return new DeploymentVersion(this);
        }
    }
}
