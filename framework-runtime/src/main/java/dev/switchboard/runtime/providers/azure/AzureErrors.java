package dev.switchboard.runtime.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Azure OpenAI error bodies, {@code {"error":{"code","message","param","type","innererror"}}} whose
 * {@code code} may be a string status ({@code "429"}) or a symbol, to {@link ProviderException}s:
 * <ul>
 *   <li>a prompt blocked by the content filter (400, {@code code: content_filter} or inner code
 *       {@code ResponsibleAIPolicyViolation}) gets errorCode {@code content_filter} and is not retryable;</li>
 *   <li>404 {@code DeploymentNotFound} names the deployment and the endpoint and is not retryable;</li>
 *   <li>the delay comes from {@code retry-after-ms}, {@code Retry-After}, or else a 429 message's "retry after
 *       N seconds"; a delay above {@link #MAX_RETRY_DELAY} (Azure sends 86400 s on an exhausted quota) makes
 *       the failure non-retryable, so callers fall over instead of waiting.</li>
 * </ul>
 * Other failures are retryable by HTTP status. Stateless and thread-safe.
 */
final class AzureErrors {
    /** Longer requested delays make a failure non-retryable. */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(2);
    static final String CONTENT_FILTER = "content_filter";
    private static final Pattern RETRY_IN_TEXT = Pattern.compile("retry after (\\d{1,9}) second", Pattern.CASE_INSENSITIVE);
    private static final int MAX_TEXT = 500;

    private AzureErrors() {
    }

    /** The failure a non-2xx answer for {@code deployment} reports; {@code body} is null when it is not JSON. */
    static ProviderException fromHttp(String provider, String deployment, AzureEndpoint endpoint, HttpResult result,
                                      JsonNode body) {
        JsonNode error = body == null ? MissingNode.getInstance() : body.path("error");
        String code = error.isObject() ? text(error.get("code")) : null;
        String message = error.isObject() ? text(error.get("message")) : error.isTextual() ? error.textValue() : null;
        if (message == null) {
            String text = result.bodyText().strip();
            message = text.isEmpty() ? null : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
        }
        ProviderException.Builder b = ProviderException.builder(provider).model(deployment).status(result.status())
                .errorCode(code != null ? code : text(error.get("type")));
        if (CONTENT_FILTER.equals(code) || "ResponsibleAIPolicyViolation".equals(text(error.path("innererror").get("code")))) {
            b.errorCode(CONTENT_FILTER).retryable(false).message("blocked by the Azure content filter: " + message);
        } else if (result.status() == 404 && "DeploymentNotFound".equals(code)) {
            b.retryable(false).message("deployment '" + deployment + "' does not exist at " + endpoint.base()
                    + " (the model of an azure-openai reference is the deployment name): " + message);
        } else {
            b.message(message);
        }
        Optional<Duration> delay = RetryAfter.of(result);
        if (delay.isEmpty() && result.status() == 429 && message != null) {
            Matcher m = RETRY_IN_TEXT.matcher(message);
            if (m.find()) {
                delay = Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1))));
            }
        }
        delay.ifPresent(d -> {
            b.retryAfter(d);
            if (d.compareTo(MAX_RETRY_DELAY) > 0) {
                b.retryable(false);
            }
        });
        return b.build();
    }

    /**
     * The failure an {@code {"error":…}} object inside a 200 stream reports: a status-like {@code code} is
     * taken as the HTTP status; otherwise the OpenAI codec's reading applies.
     */
    static ProviderException fromBody(OpenAiCodec codec, String provider, String deployment, JsonNode body) {
        JsonNode error = body.path("error");
        String code = text(error.get("code"));
        if (code != null && code.matches("[45]\\d\\d")) {
            return ProviderException.builder(provider).model(deployment).status(Integer.parseInt(code)).errorCode(code)
                    .message("error in stream: " + text(error.get("message"))).build();
        }
        if (CONTENT_FILTER.equals(code)) {
            return ProviderException.builder(provider).model(deployment).status(400).errorCode(CONTENT_FILTER)
                    .retryable(false).message("blocked by the Azure content filter: " + text(error.get("message"))).build();
        }
        return codec.readErrorBody(provider, deployment, body);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.isValueNode() ? n.asText() : n.toString();
    }
}
