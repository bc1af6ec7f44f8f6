package dev.switchboard.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One attempt of a call at one provider and model: the first try, a retry, or a fallback.
 * Immutable and thread-safe.
 *
 * @param provider   provider name from the configuration's {@code providers:} map
 * @param model      the model asked for
 * @param outcome    how the attempt ended
 * @param statusCode HTTP status of the provider's answer, 0 when there was none
 * @param error      a short description of the failure, {@code null} when it succeeded
 * @param latency    time from sending the request to its end
 */
public record Attempt(String provider, String model, Outcome outcome, int statusCode, String error, Duration latency) {

    /** How an attempt ended. */
    public enum Outcome {
        /** The provider answered and the answer was used. */
        SUCCESS,
        /** The provider failed (status, connection, malformed answer, cut stream). */
        FAILURE,
        /** Not sent: the provider's circuit breaker was open. */
        CIRCUIT_OPEN,
        /** Cancelled by the caller or by the call's timeout. */
        CANCELLED
    }

    /** Checks required fields. */
    public Attempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
    }

    /** {@code provider/model}. */
    public String modelRef() {
        return provider + "/" + model;
    }
}
