package dev.switchboard.runtime.calllog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default {@link CallLogStore.Batch}: keeps the records added and writes them with {@link CallLogStore#write},
 * the same unmodifiable list on every attempt. Not thread-safe (the writer thread's).
 */
final class RecordBatch implements CallLogStore.Batch {
    private final CallLogStore store;
    private final List<CallRecord> records = new ArrayList<>();
    private List<CallRecord> written;

    RecordBatch(CallLogStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void add(CallRecord record) {
        if (written != null) {
            throw new IllegalStateException("the batch is being written");
        }
        records.add(Objects.requireNonNull(record, "record"));
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public void write() throws Exception {
        if (written == null) {
            written = List.copyOf(records);
        }
        store.write(written);
    }

    @Override
    public void close() {
        records.clear();
        written = null;
    }
}
