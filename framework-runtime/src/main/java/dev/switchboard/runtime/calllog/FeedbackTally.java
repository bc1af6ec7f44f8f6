package dev.switchboard.runtime.calllog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the feedback on calls per (deployment, variant) into {@link FeedbackSummary}s: how many feedbacks, how
 * many scored and their average, thumbs up and down. What every store's feedback summary counts.
 *
 * <pre>{@code
 * FeedbackTally t = FeedbackTally.sorted();
 * t.add(call.deployment(), call.variant(), feedbackOnThatCall);
 * List<FeedbackSummary> s = t.summaries();
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class FeedbackTally {
    private final Map<List<String>, Sums> groups;

    /** One group's running sums. */
    private static final class Sums {
        long feedback;
        long scored;
        double scoreSum;
        long up;
        long down;
    }

    private FeedbackTally(Map<List<String>, Sums> groups) {
        this.groups = groups;
    }

    /** A tally whose groups come out in the order first added. */
    public static FeedbackTally inOrderAdded() {
        return new FeedbackTally(new LinkedHashMap<>());
    }

    /** A tally whose groups come out by deployment, then variant, nulls first (as SQL's {@code ORDER BY} on SQLite and H2). */
    public static FeedbackTally sorted() {
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        return new FeedbackTally(new TreeMap<>((a, b) -> {
            int d = nullsFirst.compare(a.get(0), b.get(0));
            return d != 0 ? d : nullsFirst.compare(a.get(1), b.get(1));
        }));
    }

    /** Adds the feedback on one call of {@code deployment} and {@code variant} (either may be null). */
    public void add(String deployment, String variant, List<Feedback> feedback) {
        Sums s = groups.computeIfAbsent(Arrays.asList(deployment, variant), g -> new Sums());
        for (Feedback f : feedback) {
            s.feedback++;
            if (f.score() != null) {
                s.scored++;
                s.scoreSum += f.score();
            }
            if (f.thumbs() == Feedback.Thumbs.UP) {
                s.up++;
            } else if (f.thumbs() == Feedback.Thumbs.DOWN) {
                s.down++;
            }
        }
    }

    /** One summary per group added. */
    public List<FeedbackSummary> summaries() {
        List<FeedbackSummary> out = new ArrayList<>(groups.size());
        groups.forEach((g, s) -> out.add(new FeedbackSummary(g.get(0), g.get(1), s.feedback, s.scored,
                s.scored == 0 ? null : s.scoreSum / s.scored, s.up, s.down)));
        return out;
    }
}
