package dev.switchboard.testkit;

/**
 * How the fake server frames a response body on the wire.
 *
 * <pre>{@code
 * RawResponse.sse(200, body).transfer(Transfer.CLOSE_DELIMITED);
 * }</pre>
 *
 * <p>Enum constants are immutable and thread-safe.
 */
public enum Transfer {
    /** {@code Content-Length: N} followed by exactly N bytes; the connection stays open (keep-alive). */
    CONTENT_LENGTH,
    /** {@code Transfer-Encoding: chunked}; each write (each SSE event) is one chunk; keep-alive. */
    CHUNKED,
    /** No length and no chunking: the body ends when the server closes the connection. */
    CLOSE_DELIMITED
}
