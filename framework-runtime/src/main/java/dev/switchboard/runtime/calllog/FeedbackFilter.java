package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * The feedback criteria of a call-log search ({@code /v1/logs?feedback=up&min_score=4}); both optional, and
 * both must hold when given. Immutable.
 *
 * @param presence which calls by their feedback, or null for any call
 * @param minScore calls whose average score is at least this (calls without a score do not match), or null
 */
public record FeedbackFilter(Presence presence, Double minScore) {
    /** No feedback criteria. */
    public static final FeedbackFilter NONE = new FeedbackFilter(null, null);

    /** Which calls by the feedback they have. */
    public enum Presence {
        /** Calls with at least one thumbs up. */
        UP,
        /** Calls with at least one thumbs down. */
        DOWN,
        /** Calls with at least one feedback of any kind. */
        ANY,
        /** Calls without feedback. */
        NONE
    }

    /** Whether no criterion is set. */
    public boolean isEmpty() {
        return presence == null && minScore == null;
    }

    /** Whether a call with these feedbacks ({@code feedback} may be empty) matches. */
    public boolean matches(List<Feedback> feedback) {
        if (presence != null) {
            boolean ok = switch (presence) {
                case UP -> feedback.stream().anyMatch(f -> f.thumbs() == Feedback.Thumbs.UP);
                case DOWN -> feedback.stream().anyMatch(f -> f.thumbs() == Feedback.Thumbs.DOWN);
                case ANY -> !feedback.isEmpty();
                case NONE -> feedback.isEmpty();
            };
            if (!ok) {
                return false;
            }
        }
        if (minScore != null) {
            double sum = 0;
            int n = 0;
            for (Feedback f : feedback) {
                if (f.score() != null) {
                    sum += f.score();
                    n++;
                }
            }
            return n > 0 && sum / n >= minScore;
        }
        return true;
    }
}
