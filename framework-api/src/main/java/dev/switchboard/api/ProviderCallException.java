package dev.switchboard.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider failed one attempt: it answered an error status, could not be reached, sent a body that
 * does not parse, cut a stream before its end, or does not support what was asked. Carries what a
 * caller needs to decide what to do. Provider plugins throw the SPI subtype
 * {@code dev.switchboard.spi.ProviderException}; callers catch this type.
 */
public class ProviderCallException extends SwitchboardException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it was. */
    public enum Kind {
        /** The provider answered an HTTP error status. */
        HTTP_STATUS,
        /** The connection could not be made or broke before an answer (refused, reset, DNS, TLS). */
        CONNECTION,
        /** No answer within the request's own timeout. */
        TIMEOUT,
        /** The answer does not follow the provider's wire format (malformed JSON, missing fields). */
        MALFORMED_RESPONSE,
        /** A stream ended before its terminal event. */
        STREAM_INTERRUPTED,
        /** The request asks for something this provider cannot do; found before any network I/O. */
        UNSUPPORTED,
        /** The provider's circuit breaker is open, so no request was sent. */
        CIRCUIT_OPEN,
        /** Anything else. */
        OTHER
    }

    private final String provider;
    private final String model;
    private final Kind kind;
    private final int statusCode;
    private final String errorCode;
    private final boolean retryable;
    private final transient Duration retryAfter;

    /**
     * @param message    human-readable description (never contains credentials)
     * @param cause      underlying exception, may be null
     * @param provider   provider name (configuration name)
     * @param model      model asked for, may be null
     * @param kind       failure kind
     * @param statusCode HTTP status, 0 when none
     * @param errorCode  the vendor's error type or code, may be null
     * @param retryable  whether repeating the same request may succeed
     * @param retryAfter how long the provider asked to wait, may be null
     */
    protected ProviderCallException(String message, Throwable cause, String provider, String model, Kind kind,
                                    int statusCode, String errorCode, boolean retryable, Duration retryAfter) {
        super(message, cause);
        this.provider = provider;
        this.model = model;
        this.kind = kind;
        this.statusCode = statusCode;
        this.errorCode = errorCode;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** The provider's configuration name. */
    public String provider() {
        return provider;
    }

    /** The model asked for, or null. */
    public String model() {
        return model;
    }

    /** What kind of failure it was. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when the provider did not answer one. */
    public int statusCode() {
        return statusCode;
    }

    /** The vendor's error type or code ({@code rate_limit_error}, {@code RESOURCE_EXHAUSTED}…), or null. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether repeating the same request may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** How long the provider asked callers to wait before retrying ({@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
