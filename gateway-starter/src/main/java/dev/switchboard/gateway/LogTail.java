package dev.switchboard.gateway;

import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogStore;
import dev.switchboard.runtime.calllog.CallRecord;
import java.nio.charset.StandardCharsets;
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
            public void prepare(CallRecord record) {
                store.prepare(record);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /**
     * Starts an event stream on {@code ex} of the records {@code filter} accepts (see {@link CallLogFilter#matchesIgnoringTime}).
     *
     * @throws GatewayException 503 when {@value #MAX_SUBSCRIBERS} streams are open
     */
    void subscribe(Exchange ex, Predicate<CallRecord> filter, BooleanSupplier draining) {
        subscribers.removeIf(s -> !s.exchange().isOpen());
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            throw new GatewayException(io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", null, "busy",
                    "too many live tails are open (" + MAX_SUBSCRIBERS + "); close one and retry");
        }
        Subscriber s = new Subscriber(ex, filter, draining);
        subscribers.add(s); // before the head is written: once the client sees the stream, no record is missed
        if (ex.startStream()) {
            ex.sendEvent(PING);
            startTicker();
        } else {
            subscribers.remove(s);
        }
    }

    /** How many streams are open. */
    int size() {
        return subscribers.size();
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
        for (Subscriber s : subscribers) {
            s.exchange().endStream(null);
        }
        subscribers.clear();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
