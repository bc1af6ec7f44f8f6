package dev.switchboard.runtime.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;
import java.util.Map;

/**
 * Maps Anthropic errors, {@code {"type":"error","error":{"type","message"},"request_id"}}, to
 * {@link ProviderException}s: the error type becomes the error code, retryability follows the status
 * (408, 409, 429, 5xx and 529 retry) unless the answer says {@code x-should-retry}, and the delay comes from
 * {@code retry-after-ms} / {@code retry-after}. An {@code error} event inside a 200 stream is classified
 * as the HTTP status its type stands for ({@code overloaded_error} as 529). Immutable and thread-safe.
 */
final class AnthropicErrors {
    private static final int MAX_TEXT = 500;
    private static final Map<String, Integer> STATUS_OF_TYPE = Map.of(
            "invalid_request_error", 400, "authentication_error", 401, "billing_error", 402,
            "permission_error", 403, "not_found_error", 404, "request_too_large", 413,
            "rate_limit_error", 429, "api_error", 500, "timeout_error", 504, "overloaded_error", 529);

    private final String provider;
    private final String model;

    AnthropicErrors(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** A non-2xx answer; {@code body} is its parsed JSON or null. */
    ProviderException fromHttp(HttpResult result, JsonNode body) {
        JsonNode error = body == null ? null : body.path("error");
        String type = text(error, "type");
        String message = text(error, "message");
        if (message == null && result.body().length > 0) {
            String raw = result.bodyText().strip();
            message = raw.length() > MAX_TEXT ? raw.substring(0, MAX_TEXT) + "…" : raw;
        }
        String requestId = body == null ? null : text(body, "request_id");
        ProviderException.Builder b = ProviderException.builder(provider).model(model).status(result.status())
                .errorCode(type).message(requestId == null ? message : message + " (request_id " + requestId + ")");
        RetryAfter.of(result).ifPresent(b::retryAfter);
        result.header("x-should-retry").ifPresent(v -> {
            if ("true".equalsIgnoreCase(v.trim()) || "false".equalsIgnoreCase(v.trim())) {
                b.retryable(Boolean.parseBoolean(v.trim()));
            }
        });
        if ("enforced_spend_limit_reached".equals(text(error == null ? null : error.path("details"), "error_code"))) {
            b.retryable(false); // a spend limit does not clear by waiting
        }
        return b.build();
    }

    /** An {@code error} event of a stream that started with HTTP 200. */
    ProviderException fromEvent(JsonNode data) {
        JsonNode error = data.path("error");
        String type = text(error, "type");
        String message = text(error, "message");
        String text = (type == null ? "error" : type) + " event in the stream" + (message == null ? "" : ": " + message);
        Integer status = type == null ? null : STATUS_OF_TYPE.get(type);
        ProviderException.Builder b = ProviderException.builder(provider).model(model).errorCode(type).message(text);
        return status == null ? b.kind(Kind.OTHER).retryable(false).build() : b.status(status).build();
    }

    private static String text(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode v = parent.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.isValueNode() ? v.asText() : v.toString();
    }
}
