package dev.switchboard.spi.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request a provider sends. Immutable and thread-safe.
 *
 * <pre>{@code
 * HttpCall call = HttpCall.post(URI.create(base + "/chat/completions"), jsonBytes)
 *     .header("Authorization", "Bearer " + key.reveal()).timeout(Duration.ofSeconds(60)).build();
 * }</pre>
 *
 * <p>{@link #timeout()} bounds the wait for response headers, for a whole plain body, and between two
 * lines of a stream. {@link #toString()} never prints header values (they hold credentials).
 */
public final class HttpCall {
    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;

    private HttpCall(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.body = b.body;
        this.timeout = b.timeout;
    }

    /** A POST of a JSON body. */
    public static Builder post(URI uri, byte[] jsonBody) {
        return new Builder("POST", uri).body(jsonBody).header("Content-Type", "application/json");
    }

    /** A GET. */
    public static Builder get(URI uri) {
        return new Builder("GET", uri);
    }

    /** The HTTP method. */
    public String method() { return method; }
    /** The target. */
    public URI uri() { return uri; }
    /** Request headers. */
    public Map<String, String> headers() { return headers; }
    /** The body, empty for none (do not modify). */
    public byte[] body() { return body; }
    /** See the class description. */
    public Duration timeout() { return timeout; }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + uri + " headers=" + headers.keySet();
    }

    /** Builds an {@link HttpCall}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private Duration timeout = Duration.ofSeconds(120);

        private Builder(String method, URI uri) {
            this.method = Objects.requireNonNull(method, "method");
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Sets a header (null value removes it). */
        public Builder header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        /** Sets the body. */
        public Builder body(byte[] v) { body = v == null ? new byte[0] : v; return this; }
        /** Sets the timeout. */
        public Builder timeout(Duration v) { timeout = Objects.requireNonNull(v, "timeout"); return this; }

        /** Builds the call. */
        public HttpCall build() {
            return new HttpCall(this);
        }
    }
}
