package dev.switchboard.gateway.transport;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Flow control of one event stream read by {@link NettyHttpTransport}: {@link #pause()} stops reading the
 * upstream connection, {@link #resume()} starts again. Events are delivered on an event loop, so a listener
 * must never block to hold a stream back; it pauses it instead.
 *
 * <pre>{@code
 * transport.stream(call, event -> {
 *     client.write(event);
 *     if (!client.isWritable()) {
 *         StreamControl control = StreamControl.current(); // the stream delivering this event
 *         control.pause();
 *         client.onWritable(control::resume);
 *     }
 * });
 * }</pre>
 *
 * <p>While paused no more bytes are read from the connection (events already read, at most one read's worth,
 * are still delivered) and the idle timeout between lines is suspended: the caller that paused bounds the wait.
 * Resuming restarts the idle timeout. Once the stream has ended both methods do nothing.
 *
 * <p>Thread-safe: {@link #pause()} and {@link #resume()} may be called from any thread and take effect on the
 * connection's event loop.
 */
public final class StreamControl {
    private static final FastThreadLocal<StreamControl> CURRENT = new FastThreadLocal<>();
    private final UpstreamCall call;

    StreamControl(UpstreamCall call) {
        this.call = call;
    }

    /**
     * The control of the stream whose event the current thread is delivering to its listener, or null when the
     * thread is not inside a {@link NettyHttpTransport} listener (another transport, an in-memory provider).
     */
    public static StreamControl current() {
        return CURRENT.get();
    }

    /** Stops reading the stream's connection until {@link #resume()}. */
    public void pause() {
        call.onLoop(call::pause);
    }

    /** Reads the stream's connection again. */
    public void resume() {
        call.onLoop(call::resume);
    }

    /** Makes {@code c} the {@link #current()} control of this thread; returns the previous one, for {@link #exit}. */
    static StreamControl enter(StreamControl c) {
        StreamControl previous = CURRENT.get();
        CURRENT.set(c);
        return previous;
    }

    /** Restores the control {@link #enter} replaced. */
    static void exit(StreamControl previous) {
        CURRENT.set(previous);
    }
}
