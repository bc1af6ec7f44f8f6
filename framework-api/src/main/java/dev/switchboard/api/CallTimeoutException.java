package dev.switchboard.api;

import java.time.Duration;
import java.util.List;

/** A call's total time budget ran out; in-flight requests were cancelled. */
public class CallTimeoutException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final transient List<Attempt> attempts;

    /**
     * @param deployment the deployment key
     * @param timeout    the budget
     * @param attempts   the attempts made before it ran out
     */
    public CallTimeoutException(String deployment, Duration timeout, List<Attempt> attempts) {
        super("deployment '" + deployment + "' timed out after " + timeout.toMillis() + " ms (" + attempts.size() + " attempts)");
        this.attempts = List.copyOf(attempts);
    }

    /** The attempts made before the time ran out. */
    public List<Attempt> attempts() {
        return attempts;
    }
}
