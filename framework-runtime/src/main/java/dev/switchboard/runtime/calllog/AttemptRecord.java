package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.api.Attempt;
import java.util.Locale;
import java.util.Objects;

/**
 * One attempt of a logged call. Immutable; JSON in snake_case.
 *
 * @param provider  provider entry name
 * @param model     model asked for
 * @param outcome   {@code success}, {@code failure}, {@code circuit_open} or {@code cancelled}
 * @param status    HTTP status of the provider's answer, 0 when none
 * @param error     short failure description (redacted), null on success
 * @param latencyMs time from sending the request to its end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(@JsonProperty("provider") String provider, @JsonProperty("model") String model,
                            @JsonProperty("outcome") String outcome, @JsonProperty("status") int status,
                            @JsonProperty("error") String error, @JsonProperty("latency_ms") long latencyMs) {
    /** Checks required fields. */
    public AttemptRecord {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The record of an engine attempt. */
    public static AttemptRecord of(Attempt a) {
        return new AttemptRecord(a.provider(), a.model(), a.outcome().name().toLowerCase(Locale.ROOT), a.statusCode(),
                a.error(), a.latency().toMillis());
    }

    /** This record with another error text. */
    public AttemptRecord withError(String e) {
        return new AttemptRecord(provider, model, outcome, status, e, latencyMs);
    }
}
