package dev.switchboard.runtime.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Gemini's google.rpc error bodies, {@code {"error":{"code","message","status","details"}}} (possibly
 * array-wrapped), to {@link ProviderException}: the HTTP status, {@code errorCode} = the canonical status
 * ({@code RESOURCE_EXHAUSTED}…), retryable by HTTP status, the delay from
 * {@code details[google.rpc.RetryInfo].retryDelay} or else {@code Retry-After}. A quota counted per day, or a
 * delay above {@link #MAX_RETRY_DELAY}, is not retryable: it will not clear within a call, so callers should
 * fall over rather than wait. Stateless and thread-safe.
 */
final class GeminiErrors {
    /** Longer requested delays make a failure non-retryable. */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(2);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(?:\\.(\\d{1,9}))?s");
    private static final int MAX_TEXT = 500;

    private GeminiErrors() {
    }

    /** The failure a non-2xx answer reports; {@code body} is its parsed body, or null when it is not JSON. */
    static ProviderException fromHttp(String provider, String model, HttpResult result, JsonNode body) {
        ProviderException.Builder b = ProviderException.builder(provider).model(model).status(result.status());
        Optional<Duration> delay = describe(b, body, result);
        if (delay.isEmpty()) {
            delay = RetryAfter.of(result);
        }
        delay.ifPresent(d -> {
            b.retryAfter(d);
            if (d.compareTo(MAX_RETRY_DELAY) > 0) {
                b.retryable(false);
            }
        });
        return b.build();
    }

    /** The failure an error object inside a 200 stream reports; its {@code code} is taken as the HTTP status. */
    static ProviderException fromBody(String provider, String model, JsonNode body) {
        ProviderException.Builder b = ProviderException.builder(provider).model(model);
        int code = body.path("error").path("code").asInt(0);
        if (code >= 400 && code <= 599) {
            b.status(code);
        } else {
            b.kind(Kind.OTHER);
        }
        describe(b, body, null).ifPresent(b::retryAfter);
        return b.build();
    }

    /** Whether a parsed body is an error object. */
    static boolean isError(JsonNode body) {
        return body != null && body.isObject() && body.path("error").isObject();
    }

    /** Sets code and message from the body; returns the RetryInfo delay. */
    private static Optional<Duration> describe(ProviderException.Builder b, JsonNode body, HttpResult result) {
        JsonNode error = body != null && body.isArray() && body.size() > 0 ? body.get(0).path("error") : body == null ? null : body.path("error");
        if (error == null || !error.isObject()) {
            b.message(result == null ? "an error without details" : shortText(result.bodyText()));
            return Optional.empty();
        }
        b.errorCode(error.path("status").textValue());
        String message = error.path("message").textValue();
        Duration delay = null;
        String reason = null;
        for (JsonNode d : error.path("details")) {
            String type = d.path("@type").asText("");
            if (type.endsWith("google.rpc.RetryInfo")) {
                delay = duration(d.path("retryDelay").asText(""));
            } else if (type.endsWith("google.rpc.ErrorInfo")) {
                reason = d.path("reason").textValue();
            } else if (type.endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode v : d.path("violations")) {
                    if (v.path("quotaId").asText("").contains("PerDay")) {
                        b.retryable(false);
                    }
                }
            }
        }
        String full = (message == null ? "" : message) + (reason == null ? "" : " (" + reason + ")");
        b.message(full.isBlank() ? null : full.strip());
        return Optional.ofNullable(delay);
    }

    /** A google.protobuf.Duration in JSON form ({@code "26s"}, {@code "0.5s"}), or null. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long nanos = m.group(2) == null ? 0 : Long.parseLong((m.group(2) + "000000000").substring(0, 9));
        return Duration.ofSeconds(Long.parseLong(m.group(1)), nanos);
    }

    private static String shortText(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t;
    }
}
