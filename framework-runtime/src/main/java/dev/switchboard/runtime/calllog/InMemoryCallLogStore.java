package dev.switchboard.runtime.calllog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A call log in memory: the newest {@code capacity} records in a ring buffer (older ones are evicted),
 * searchable, with the newest {@code capacity} feedbacks ({@link FeedbackStore}) and idempotent ingestion
 * ({@link CallLogIngest}: a record whose id is kept is skipped). For tests, demos and embedded use; records are
 * lost on restart. Thread-safe.
 *
 * <pre>{@code
 * InMemoryCallLogStore store = new InMemoryCallLogStore(1_000);
 * Switchboard sb = Switchboard.builder().callLog(CallLog.builder(store).build()).build();
 * }</pre>
 */
public final class InMemoryCallLogStore implements CallLogStore, CallLogQuery, CallLogIngest, FeedbackStore {
    private final int capacity;
    private final ArrayDeque<Entry> entries;
    private final HashMap<String, Entry> byId = new HashMap<>();
    private final InMemoryFeedback feedback;
    private long sequence;
    private long batches;

    private record Entry(long seq, CallRecord record) {
    }

    /** A store keeping the newest {@code capacity} records. */
    public InMemoryCallLogStore(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
        this.feedback = new InMemoryFeedback(capacity);
    }

    @Override
    public synchronized void write(List<CallRecord> records) {
        batches++;
        for (CallRecord r : records) {
            add(r);
        }
    }

    private void add(CallRecord r) {
        if (entries.size() == capacity) {
            Entry old = entries.removeFirst();
            byId.remove(old.record().id(), old);
        }
        Entry e = new Entry(++sequence, r);
        entries.addLast(e);
        byId.put(r.id(), e);
    }

    @Override
    public synchronized int ingest(List<CallRecord> records) {
        batches++;
        int added = 0;
        for (CallRecord r : records) {
            if (!byId.containsKey(r.id())) {
                add(r);
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized boolean addFeedback(Feedback f) {
        return feedback.add(f);
    }

    @Override
    public synchronized List<Feedback> feedback(String callId) {
        return feedback.of(callId);
    }

    @Override
    public synchronized CallLogPage search(CallLogFilter filter, FeedbackFilter fb) {
        return fb == null || fb.isEmpty() ? search(filter) : page(filter, r -> fb.matches(feedback.of(r.id())));
    }

    @Override
    public synchronized List<FeedbackSummary> feedbackSummary(CallLogFilter scope) {
        List<CallRecord> in = new ArrayList<>();
        for (Entry e : entries) {
            if (scope.matches(e.record())) {
                in.add(e.record());
            }
        }
        return feedback.summarize(in);
    }

    /** Every kept record, oldest first. */
    public synchronized List<CallRecord> records() {
        List<CallRecord> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.record());
        }
        return out;
    }

    /** How many records are kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** How many batches were written. */
    public synchronized long batchCount() {
        return batches;
    }

    @Override
    public synchronized Optional<CallRecord> find(String id) {
        Entry e = byId.get(id);
        return e == null ? Optional.empty() : Optional.of(e.record());
    }

    @Override
    public synchronized CallLogPage search(CallLogFilter f) {
        return page(f, r -> true);
    }

    private CallLogPage page(CallLogFilter f, Predicate<CallRecord> also) {
        long before = Long.MAX_VALUE;
        if (f.cursor() != null) {
            try {
                before = Long.parseLong(f.cursor());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid cursor '" + f.cursor() + "'");
            }
        }
        List<CallRecord> out = new ArrayList<>(Math.min(f.limit(), 64));
        long last = 0;
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq() >= before || !f.matches(e.record()) || !also.test(e.record())) {
                continue;
            }
            if (out.size() == f.limit()) {
                return new CallLogPage(out, Long.toString(last));
            }
            out.add(e.record());
            last = e.seq();
        }
        return new CallLogPage(out, null);
    }
}
