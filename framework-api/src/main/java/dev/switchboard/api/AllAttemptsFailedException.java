package dev.switchboard.api;

import java.util.List;

/**
 * Every attempt of a call failed: the primary model with its retries and every fallback. The
 * attempts are in order; {@link #getCause()} is the last attempt's failure and the others are
 * {@linkplain #getSuppressed() suppressed}, so a stack trace shows all of them.
 */
public class AllAttemptsFailedException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final transient List<Attempt> attempts;
    private final transient List<Throwable> causes;

    /**
     * @param deployment the deployment key
     * @param attempts   every attempt, in order
     * @param causes     each attempt's failure, in order (same size as {@code attempts})
     */
    public AllAttemptsFailedException(String deployment, List<Attempt> attempts, List<Throwable> causes) {
        super(describe(deployment, attempts), causes.isEmpty() ? null : causes.get(causes.size() - 1));
        this.attempts = List.copyOf(attempts);
        this.causes = List.copyOf(causes);
        for (int i = 0; i < causes.size() - 1; i++) {
            addSuppressed(causes.get(i));
        }
    }

    private static String describe(String deployment, List<Attempt> attempts) {
        StringBuilder sb = new StringBuilder("deployment '").append(deployment).append("': all ")
                .append(attempts.size()).append(" attempts failed");
        for (Attempt a : attempts) {
            sb.append("; ").append(a.modelRef()).append(": ")
                    .append(a.error() == null ? a.outcome().name() : a.error());
        }
        return sb.toString();
    }

    /** Every attempt, in order. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** Each attempt's failure, in the order of {@link #attempts()}. */
    public List<Throwable> causes() {
        return causes;
    }
}
