package dev.switchboard.gateway;

import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Backpressure from a client connection to whatever produces its response, so a slow reader cannot make the
 * gateway buffer without bound: a producer on its own thread blocks ({@link #await}); a producer on an event
 * loop (an upstream stream of the gateway's Netty transport) must never block, so it pauses itself and asks to
 * be resumed ({@link #whenWritable}). The router reports every writability or activity change ({@link #changed}).
 *
 * <p>Thread-safe.
 */
final class ClientWritability {
    private final Channel channel;
    private final Object lock = new Object();
    private Runnable task; // guarded by lock
    private ScheduledFuture<?> taskDeadline; // guarded by lock

    ClientWritability(Channel channel) {
        this.channel = channel;
    }

    /** Whether the client's socket buffer has room (false once the connection closed). */
    boolean writable() {
        return channel.isWritable();
    }

    /**
     * Blocks the calling thread while the client's socket buffer is full. Never blocks an event loop thread.
     *
     * @return false when the connection closed or {@code deadlineNanos} (a {@link System#nanoTime} value) passed
     */
    boolean await(long deadlineNanos) {
        if (channel.eventLoop().inEventLoop()) {
            return channel.isActive();
        }
        synchronized (lock) {
            while (channel.isActive() && !channel.isWritable()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return channel.isActive();
    }

    /**
     * Runs {@code r} once, on the connection's event loop, as soon as the client can take more bytes, the
     * connection closed, or {@code deadlineNanos} passed; at once when one of them is already true. One task
     * at a time: a new one replaces one not run yet, which then runs.
     */
    void whenWritable(Runnable r, long deadlineNanos) {
        Runnable replaced;
        synchronized (lock) {
            replaced = task;
            task = r;
        }
        if (replaced != null) {
            replaced.run();
        }
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> run(r),
                Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        synchronized (lock) {
            if (task == r) {
                taskDeadline = deadline;
            } else {
                deadline.cancel(false);
            }
        }
        if (channel.eventLoop().inEventLoop()) {
            changed();
        } else {
            channel.eventLoop().execute(this::changed);
        }
    }

    /** Wakes blocked producers and runs the pending task when the client is writable or gone. */
    void changed() {
        synchronized (lock) {
            lock.notifyAll();
        }
        if (!channel.isActive() || channel.isWritable()) {
            run(null);
        }
    }

    /** Runs the pending task if it is {@code only} (any pending task when null). */
    private void run(Runnable only) {
        Runnable r;
        ScheduledFuture<?> deadline;
        synchronized (lock) {
            r = task;
            if (r == null || only != null && r != only) {
                return;
            }
            task = null;
            deadline = taskDeadline;
            taskDeadline = null;
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        r.run();
    }
}
