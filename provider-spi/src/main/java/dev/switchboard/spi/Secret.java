package dev.switchboard.spi;

/**
 * A credential that never shows itself: {@link #toString()} prints {@code ****}, so it cannot leak
 * through logs, errors or config dumps by accident. Immutable and thread-safe.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret("");
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a credential; null or blank gives {@link #empty()}. */
    public static Secret of(String value) {
        return value == null || value.isBlank() ? EMPTY : new Secret(value);
    }

    /** No credential. */
    public static Secret empty() {
        return EMPTY;
    }

    /** The credential, for building an auth header. */
    public String reveal() {
        return value;
    }

    /** Whether there is no credential. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return isEmpty() ? "(none)" : "****";
    }
}
