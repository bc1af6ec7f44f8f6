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
        FeedbackTally tally = FeedbackTally.inOrderAdded();
        for (CallRecord r : records) {
            List<Feedback> l = byCall.get(r.id());
            if (l != null) {
                tally.add(r.deployment(), r.variant(), l);
            }
        }
        return tally.summaries();
    }
}
