package dev.switchboard.runtime.calllog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feedback part of {@link InMemoryCallLogStore}: the newest {@code capacity} feedbacks, indexed by id
 * (duplicates skipped) and by call id. Not thread-safe: the store guards it with its own lock.
 */
final class InMemoryFeedback {
    private final int capacity;
    private final LinkedHashMap<String, Feedback> byId = new LinkedHashMap<>();
    private final Map<String, List<Feedback>> byCall = new HashMap<>();

    InMemoryFeedback(int capacity) {
        this.capacity = capacity;
    }

    /** Adds {@code f} unless its id is known; evicts the oldest beyond capacity. */
    boolean add(Feedback f) {
        if (byId.containsKey(f.id())) {
            return false;
        }
        if (byId.size() == capacity) {
            Iterator<Feedback> it = byId.values().iterator();
            Feedback oldest = it.next();
            it.remove();
            List<Feedback> l = byCall.get(oldest.callId());
            l.remove(oldest);
            if (l.isEmpty()) {
                byCall.remove(oldest.callId());
            }
        }
        byId.put(f.id(), f);
        byCall.computeIfAbsent(f.callId(), k -> new ArrayList<>(2)).add(f);
        return true;
    }

    /** The feedback on {@code callId}, oldest first. */
    List<Feedback> of(String callId) {
        List<Feedback> l = byCall.get(callId);
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Feedback on {@code records} per deployment and variant, in the order first seen. */
    List<FeedbackSummary> summarize(Iterable<CallRecord> records) {
        Map<List<String>, long[]> counts = new LinkedHashMap<>(); // count, scored, up, down
        Map<List<String>, double[]> sums = new HashMap<>();
        for (CallRecord r : records) {
            List<Feedback> l = byCall.get(r.id());
            if (l == null) {
                continue;
            }
            List<String> key = java.util.Arrays.asList(r.deployment(), r.variant());
            long[] c = counts.computeIfAbsent(key, k -> new long[4]);
            double[] s = sums.computeIfAbsent(key, k -> new double[1]);
            for (Feedback f : l) {
                c[0]++;
                if (f.score() != null) {
                    c[1]++;
                    s[0] += f.score();
                }
                if (f.thumbs() == Feedback.Thumbs.UP) {
                    c[2]++;
                } else if (f.thumbs() == Feedback.Thumbs.DOWN) {
                    c[3]++;
                }
            }
        }
        List<FeedbackSummary> out = new ArrayList<>(counts.size());
        counts.forEach((k, c) -> out.add(new FeedbackSummary(k.get(0), k.get(1), c[0], c[1],
                c[1] == 0 ? null : sums.get(k)[0] / c[1], c[2], c[3])));
        return out;
    }
}
