package dev.switchboard.runtime.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;

/**
 * Maps Cohere errors, {@code {"id"?, "message"}} without a machine-readable type, to
 * {@link ProviderException}s classified by status: 429, 499 (request cancelled) and 5xx retry; 400, 401,
 * 402, 404, 422 and 498 (blocked content) do not. A {@code Retry-After} header is honoured when present.
 * Immutable and thread-safe.
 */
final class CohereErrors {
    private static final int MAX_TEXT = 500;

    private final String provider;
    private final String model;

    CohereErrors(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** A non-2xx answer; {@code body} is its parsed JSON or null. */
    ProviderException fromHttp(HttpResult result, JsonNode body) {
        String message = text(body, "message");
        if (message == null && result.body().length > 0) {
            String raw = result.bodyText().strip();
            message = raw.length() > MAX_TEXT ? raw.substring(0, MAX_TEXT) + "…" : raw;
        }
        String id = text(body, "id");
        ProviderException.Builder b = ProviderException.builder(provider).model(model).status(result.status())
                .message(id == null || message == null ? message : message + " (id " + id + ")");
        RetryAfter.of(result).ifPresent(b::retryAfter);
        if (result.status() == 499) {
            b.retryable(true); // cancelled on Cohere's side, repeating may succeed
        }
        return b.build();
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }
}
