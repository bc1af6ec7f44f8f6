package dev.switchboard.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A FIFO queue of scripted {@link Behavior}s plus an optional default, consumed one entry per request.
 *
 * <pre>{@code
 * server.forPath("/v1/messages")
 *       .enqueue(Reply.status(529))
 *       .enqueue(Reply.text("recovered"))
 *       .setDefault(Reply.text("steady state"));
 * }</pre>
 *
 * <p>A behaviour enqueued with {@code times(n)} occupies n consecutive slots. The server's own script
 * ({@link FakeLlmServer#enqueue}) answers every path; a path script ({@link FakeLlmServer#forPath}) answers
 * only requests for exactly that path and is consulted first. Thread-safe: all methods synchronize on this
 * script, so tests may enqueue while requests are being served.
 */
public final class Script {

    private final Deque<Behavior> queue = new ArrayDeque<>();
    private Behavior fallback;

    Script() {
    }

    /**
     * Appends behaviours; each one occupies {@link Behavior#times()} consecutive slots.
     *
     * @param behaviors the behaviours, in answer order
     * @return this script, for chaining
     */
    public synchronized Script enqueue(Behavior... behaviors) {
        for (Behavior b : behaviors) {
            Objects.requireNonNull(b, "behavior");
            for (int i = 0; i < b.times(); i++) {
                queue.addLast(b);
            }
        }
        return this;
    }

    /**
     * Sets what answers once this script's queue is empty; {@code null} removes it (the server default then
     * applies).
     *
     * @param behavior the default, or {@code null}
     * @return this script, for chaining
     */
    public synchronized Script setDefault(Behavior behavior) {
        this.fallback = behavior;
        return this;
    }

    /** @return the number of queued slots not consumed yet */
    public synchronized int remaining() {
        return queue.size();
    }

    /** Removes all queued behaviours and the default. */
    public synchronized void clear() {
        queue.clear();
        fallback = null;
    }

    synchronized Behavior poll() {
        return queue.pollFirst();
    }

    synchronized Behavior fallback() {
        return fallback;
    }
}
