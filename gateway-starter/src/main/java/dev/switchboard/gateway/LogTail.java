package dev.switchboard.gateway;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The live tail of the call log: records are announced to subscribers once the store has written them (so
 * a tailed call can be opened at once), as the same summaries {@code GET /v1/logs} lists.
 *
 * <pre>{@code
 * CallLog log = CallLog.builder(tail.wrap(store)).build();   // every written batch reaches the tail
 * tail.subscribe(exchange, filter::matchesIgnoringTime, gw::draining);   // an SSE stream of matching summaries
 * }</pre>
 *
 * <p>A store's batch may keep no records ({@link CallLogStore#newBatch}): while one gathers with no subscriber, its
 * records are not kept, and a client that subscribes meanwhile gets its stream (the head) when that batch has been
 * written, so that every call it is not told of is already searchable when it sees the stream.
 *
 * <p>Publishing runs on the call log's writer thread and never blocks it: a subscriber whose socket buffer
 * is full misses events rather than holding the writer. Every second a ticker drops closed subscribers and
 * ends every stream when the gateway drains; every {@value #PING_SECONDS} seconds it sends
 * {@code {"type":"ping"}} so proxies keep idle streams open. At most {@value #MAX_SUBSCRIBERS} streams at once.
 * Thread-safe.
 */
final class LogTail implements AutoCloseable {
    static final int MAX_SUBSCRIBERS = 100;
    static final int PING_SECONDS = 15;
    private static final byte[] PING = "{\"type\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** Subscribers waiting for the open batch to be written before their stream starts (guarded by this). */
    private final List<Subscriber> waiting = new ArrayList<>();
    /** Whether a batch is open that does not keep its records for the subscribers (guarded by this). */
    private boolean openBatchUnkept;
    private ScheduledExecutorService ticker;
    private long ticks;

    private record Subscriber(Exchange exchange, Predicate<CallRecord> filter, BooleanSupplier draining) {
    }

    /** {@code store}, announcing each batch to the subscribers after it was written. */
    CallLogStore wrap(CallLogStore store) {
        return new CallLogStore() {
            @Override
            public void write(List<CallRecord> records) throws Exception {
                store.write(records);
                publish(records);
            }

            @Override
            public Batch newBatch() {
                return new TailBatch(store.newBatch());
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /** A store's batch, keeping its records for the subscribers there were when it opened (none kept without any). */
    private final class TailBatch implements CallLogStore.Batch {
        private final CallLogStore.Batch batch;
        private final List<CallRecord> kept;

        TailBatch(CallLogStore.Batch batch) {
            this.batch = batch;
            synchronized (LogTail.this) {
                kept = subscribers.isEmpty() ? null : new ArrayList<>();
                openBatchUnkept = kept == null;
            }
        }

        @Override
        public void add(CallRecord record) {
            batch.add(record);
            if (kept != null) {
                kept.add(record);
            }
        }

        @Override
        public int size() {
            return batch.size();
        }

        @Override
        public void write() throws Exception {
            batch.write();
            if (kept != null) {
                publish(kept);
            }
        }

        @Override
        public void close() {
            try {
                batch.close();
            } finally {
                batchClosed();
            }
        }
    }

    /** Starts the streams of the subscribers that waited for the batch just closed. */
    private void batchClosed() {
        List<Subscriber> ready;
        synchronized (this) {
            openBatchUnkept = false;
            ready = new ArrayList<>(waiting);
            waiting.clear();
            subscribers.addAll(ready);
        }
        ready.forEach(this::start);
    }

    /**
     * Starts an event stream on {@code ex} of the records {@code filter} accepts (see {@link CallLogFilter#matchesIgnoringTime}):
     * at once, or when the batch being gathered without its records has been written.
     *
     * @throws GatewayException 503 when {@value #MAX_SUBSCRIBERS} streams are open
     */
    void subscribe(Exchange ex, Predicate<CallRecord> filter, BooleanSupplier draining) {
        Subscriber s = new Subscriber(ex, filter, draining);
        synchronized (this) {
            subscribers.removeIf(o -> !o.exchange().isOpen());
            waiting.removeIf(o -> !o.exchange().isOpen());
            if (subscribers.size() + waiting.size() >= MAX_SUBSCRIBERS) {
                throw new GatewayException(io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "busy",
                        "too many live tails are open (" + MAX_SUBSCRIBERS + "); close one and retry");
            }
            if (openBatchUnkept) {
                waiting.add(s);
                return;
            }
            subscribers.add(s); // before the head is written: once the client sees the stream, no record is missed
        }
        start(s);
    }

    /** Writes the head of {@code s}'s stream; a client gone meanwhile is dropped. */
    private void start(Subscriber s) {
        if (s.exchange().startStream()) {
            s.exchange().sendEvent(PING);
            startTicker();
        } else {
            subscribers.remove(s);
        }
    }

    /** How many streams are open or waiting to start. */
    synchronized int size() {
        return subscribers.size() + waiting.size();
    }

    /** Announces {@code records} to every subscriber whose filter they match. */
    void publish(List<CallRecord> records) {
        if (subscribers.isEmpty()) {
            return;
        }
        for (CallRecord r : records) {
            byte[] json = null;
            for (Subscriber s : subscribers) {
                if (!s.exchange().isOpen()) {
                    subscribers.remove(s);
                } else if (s.filter().test(r) && writable(s)) {
                    json = json != null ? json : GatewayJson.bytes(LogsEndpoint.summary(r));
                    s.exchange().sendEvent(json);
                }
            }
        }
    }

    private synchronized void startTicker() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sb-gateway-log-tail");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void tick() {
        boolean ping = ++ticks % PING_SECONDS == 0;
        for (Subscriber s : subscribers) {
            if (!s.exchange().isOpen()) {
                subscribers.remove(s);
            } else if (s.draining().getAsBoolean()) {
                subscribers.remove(s);
                s.exchange().endStream(null);
            } else if (ping && writable(s)) {
                s.exchange().sendEvent(PING);
            }
        }
    }

    /** Whether the subscriber's socket buffer has room now (never waits; called off the event loops). */
    private static boolean writable(Subscriber s) {
        return s.exchange().awaitWritable(System.nanoTime());
    }

    /** Ends every stream and stops the ticker. */
    @Override
    public synchronized void close() {
        for (Subscriber s : waiting) {
            s.exchange().startStream(); // a stream that never started still ends as a stream
        }
        subscribers.addAll(waiting);
        waiting.clear();
        for (Subscriber s : subscribers) {
            s.exchange().endStream(null);
        }
        subscribers.clear();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
