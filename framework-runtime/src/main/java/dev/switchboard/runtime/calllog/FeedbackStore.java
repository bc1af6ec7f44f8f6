package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * A call log that also keeps feedback on its calls: several feedbacks per call, keyed by call id, stored
 * even before the call's record arrives (an application may report the record after the feedback).
 * Implemented by stores that can ({@link InMemoryCallLogStore}, the gateway's database store); the gateway's
 * {@code /v2/feedback}, {@code /v1/logs?feedback=…} and {@code /v1/stats} use it. Implementations are
 * thread-safe; every method may be called from any thread.
 */
public interface FeedbackStore {

    /**
     * Stores {@code feedback} unless a feedback with its id is stored already.
     *
     * @return whether it was new
     * @throws Exception when it could not be stored
     */
    boolean addFeedback(Feedback feedback) throws Exception;

    /** The feedback on call {@code callId}, oldest first; empty when there is none. */
    List<Feedback> feedback(String callId);

    /**
     * Records matching both filters, newest first, one page at a time (as {@link CallLogQuery#search}).
     *
     * @throws IllegalArgumentException for a cursor this store did not issue
     */
    CallLogPage search(CallLogFilter filter, FeedbackFilter feedback);

    /**
     * Feedback on the calls matching {@code scope} (its time range, deployment and other criteria; limit and
     * cursor ignored), per deployment and variant. Feedback on calls whose record is not stored is not counted.
     */
    List<FeedbackSummary> feedbackSummary(CallLogFilter scope);
}
