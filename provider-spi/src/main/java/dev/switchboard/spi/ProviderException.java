package dev.switchboard.spi;

import dev.switchboard.api.ProviderCallException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a provider plugin reports when an attempt fails. Immutable; built with {@link #builder(String)}
 * or the factories for the common cases. The engine's policies read {@link #retryable()},
 * {@link #statusCode()} and {@link #retryAfter()}; the message must never contain credentials.
 *
 * <pre>{@code
 * throw ProviderException.builder("openai").model("gpt-4o").status(429).errorCode("rate_limit_exceeded")
 *     .message("Rate limit reached").retryAfter(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class ProviderException extends ProviderCallException {
    private static final long serialVersionUID = 1L;

    private ProviderException(Builder b) {
        super(b.message(), b.cause, b.provider, b.model, b.kind, b.status, b.errorCode,
                b.retryable != null ? b.retryable : defaultRetryable(b.kind, b.status), b.retryAfter);
    }

    /** A builder for a failure of {@code provider} (its configuration name). */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /**
     * Whether a failure is worth repeating by default: 408, 409, 425, 429 and 5xx statuses, and
     * connection failures, timeouts, malformed answers and cut streams.
     */
    public static boolean defaultRetryable(Kind kind, int status) {
        switch (kind) {
            case HTTP_STATUS:
                return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
            case CONNECTION: case TIMEOUT: case MALFORMED_RESPONSE: case STREAM_INTERRUPTED:
                return true;
            default:
                return false;
        }
    }

    /** A request the provider cannot serve, found before any network I/O. */
    public static ProviderException unsupported(String provider, String model, String what) {
        return builder(provider).model(model).kind(Kind.UNSUPPORTED)
                .message(provider + " (" + model + ") does not support " + what).build();
    }

    /** An answer that does not follow the wire format. */
    public static ProviderException malformed(String provider, String model, String what, Throwable cause) {
        return builder(provider).model(model).kind(Kind.MALFORMED_RESPONSE)
                .message("malformed answer from " + provider + ": " + what).cause(cause).build();
    }

    /** A stream that ended before its terminal event. */
    public static ProviderException streamInterrupted(String provider, String model, String what) {
        return builder(provider).model(model).kind(Kind.STREAM_INTERRUPTED)
                .message("stream from " + provider + " ended before its terminal event: " + what).build();
    }

    /**
     * Maps a transport failure (connection refused or reset, timeout, TLS, cancellation) to a
     * provider exception; a {@link ProviderException} is returned unchanged.
     */
    public static ProviderException fromFailure(String provider, String model, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ProviderException pe) {
            return pe;
        }
        Builder b = builder(provider).model(model).cause(t);
        if (t instanceof HttpConnectTimeoutException) {
            return b.kind(Kind.CONNECTION).message("could not connect to " + provider + " in time").build();
        }
        if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return b.kind(Kind.TIMEOUT).message(provider + " did not answer in time").build();
        }
        if (t instanceof ConnectException) {
            return b.kind(Kind.CONNECTION).message("could not connect to " + provider + ": " + describe(t)).build();
        }
        if (t instanceof IOException) {
            return b.kind(Kind.CONNECTION).message("connection to " + provider + " failed: " + describe(t)).build();
        }
        return b.kind(Kind.OTHER).message(provider + " failed: " + describe(t)).build();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Builds a {@link ProviderException}. Not thread-safe. */
    public static final class Builder {
        private final String provider;
        private String model;
        private Kind kind = Kind.HTTP_STATUS;
        private int status;
        private String errorCode;
        private String message;
        private Boolean retryable;
        private Duration retryAfter;
        private Throwable cause;

        private Builder(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /** The model asked for. */
        public Builder model(String v) { model = v; return this; }
        /** The failure kind (default {@link Kind#HTTP_STATUS}). */
        public Builder kind(Kind v) { kind = Objects.requireNonNull(v, "kind"); return this; }
        /** The HTTP status. */
        public Builder status(int v) { status = v; return this; }
        /** The vendor's error type or code. */
        public Builder errorCode(String v) { errorCode = v; return this; }
        /** The description (never credentials). */
        public Builder message(String v) { message = v; return this; }
        /** Overrides the default retryability of {@link #defaultRetryable(Kind, int)}. */
        public Builder retryable(boolean v) { retryable = v; return this; }
        /** How long the provider asked to wait. */
        public Builder retryAfter(Duration v) { retryAfter = v; return this; }
        /** The underlying exception. */
        public Builder cause(Throwable v) { cause = v; return this; }

        private String message() {
            String base = message != null ? message : kind == Kind.HTTP_STATUS ? provider + " answered HTTP " + status : provider + " failed";
            return kind == Kind.HTTP_STATUS && status > 0 && message != null ? provider + " answered HTTP " + status + ": " + base : base;
        }

        /** Builds the exception. */
        public ProviderException build() {
            return new ProviderException(this);
        }
    }
}
