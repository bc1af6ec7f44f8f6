package dev.switchboard.testkit;

/**
 * One scripted answer of a {@link FakeLlmServer}: a well-formed {@link Reply}, a low-level {@link Fault},
 * or a verbatim {@link RawResponse}.
 *
 * <pre>{@code
 * server.enqueue(Reply.text("hi"));            // a Behavior
 * server.enqueue(Fault.connectionReset());     // a Behavior
 * server.enqueue(RawResponse.json(200, "{}")); // a Behavior
 * }</pre>
 *
 * <p>Each request consumes one behaviour from the script; {@link #times()} says how many consecutive
 * requests one {@code enqueue} covers. Implementations are immutable and thread-safe.
 */
public sealed interface Behavior permits Reply, Fault, RawResponse {

    /**
     * How many consecutive requests this behaviour answers when enqueued (at least 1). Ignored when the
     * behaviour is used as a default or as a random fault.
     *
     * @return the repeat count, {@code >= 1}
     */
    int times();
}
