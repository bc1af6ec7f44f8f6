package dev.switchboard.api;

import java.time.Duration;
import java.util.List;

/**
 * A call's total time budget ran out; in-flight requests were cancelled. The message names the model the call was
 * waiting on (when an attempt was in flight) and how each earlier attempt ended, so that a gateway's 504 says which
 * provider was slow.
 */
public class CallTimeoutException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final transient List<Attempt> attempts;
    private final String waitingOn;

    /**
     * @param deployment the deployment key
     * @param timeout    the budget
     * @param attempts   the attempts made before it ran out
     */
    public CallTimeoutException(String deployment, Duration timeout, List<Attempt> attempts) {
        this(deployment, timeout, attempts, null);
    }

    /**
     * @param deployment the deployment key
     * @param timeout    the budget
     * @param attempts   the attempts that ended before it ran out
     * @param waitingOn  the {@code provider/model} of the attempt in flight when it ran out, or null
     */
    public CallTimeoutException(String deployment, Duration timeout, List<Attempt> attempts, String waitingOn) {
        super(describe(deployment, timeout, attempts, waitingOn));
        this.attempts = List.copyOf(attempts);
        this.waitingOn = waitingOn;
    }

    private static String describe(String deployment, Duration timeout, List<Attempt> attempts, String waitingOn) {
        StringBuilder sb = new StringBuilder("deployment '").append(deployment).append("' timed out after ")
                .append(timeout.toMillis()).append(" ms");
        if (waitingOn != null) {
            sb.append(" waiting on ").append(waitingOn);
        }
        sb.append(" (").append(attempts.size()).append(waitingOn != null ? " earlier attempts" : " attempts");
        for (Attempt a : attempts) {
            sb.append("; ").append(a.modelRef()).append(": ").append(a.error() == null ? a.outcome().name() : a.error());
        }
        return sb.append(')').toString();
    }

    /** The attempts that ended before the time ran out. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** The {@code provider/model} the call was waiting on when the time ran out, or null (between attempts). */
    public String waitingOn() {
        return waitingOn;
    }
}
