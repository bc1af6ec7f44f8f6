package dev.switchboard.runtime.calllog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
    private final Map<List<String>, long[]> counts; // feedback, scored, up, down
    private final Map<List<String>, double[]> scoreSums = new HashMap<>();

    private FeedbackTally(Map<List<String>, long[]> counts) {
        this.counts = counts;
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
        List<String> group = Arrays.asList(deployment, variant);
        long[] n = counts.computeIfAbsent(group, g -> new long[4]);
        double[] sum = scoreSums.computeIfAbsent(group, g -> new double[1]);
        for (Feedback f : feedback) {
            n[0]++;
            if (f.score() != null) {
                n[1]++;
                sum[0] += f.score();
            }
            if (f.thumbs() == Feedback.Thumbs.UP) {
                n[2]++;
            } else if (f.thumbs() == Feedback.Thumbs.DOWN) {
                n[3]++;
            }
        }
    }

    /** One summary per group added. */
    public List<FeedbackSummary> summaries() {
        List<FeedbackSummary> out = new ArrayList<>(counts.size());
        counts.forEach((g, n) -> out.add(new FeedbackSummary(g.get(0), g.get(1), n[0], n[1],
                n[1] == 0 ? null : scoreSums.get(g)[0] / n[1], n[2], n[3])));
        return out;
    }
}
