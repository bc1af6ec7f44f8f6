package dev.switchboard.spi.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP answer: status, headers, body. Immutable (do not modify the body array).
 *
 * @param status  the status code
 * @param headers response headers by lower-case name
 * @param body    the body; empty for a stream whose events were delivered to a listener
 */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body) {

    /** Whether the status is 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The first value of a header (name in any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
