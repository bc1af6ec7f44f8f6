package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.RetryAfter;
import java.util.Locale;

/**
 * Maps OpenAI error bodies to {@link ProviderException}s and writes them. Besides OpenAI's
 * {@code {"error":{"message","type","param","code"}}} it reads the shapes compatible servers use:
 * {@code {"error":"text"}} (Ollama) and top-level {@code message}/{@code detail} (Mistral, FastAPI-based
 * servers). Stateless and thread-safe.
 */
final class ErrorCodec {
    private static final int MAX_TEXT = 500;

    private ErrorCodec() {
    }

    /** The fields of an error body; any may be null. */
    record Info(String message, String type, String param, String code) {
        String codeOrType() {
            return code != null ? code : type;
        }
    }

    /** Whether a JSON object is an error body rather than a completion or chunk. */
    static boolean isError(JsonNode body) {
        return body != null && body.isObject() && body.has("error") && !body.get("error").isNull();
    }

    static Info info(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Info(null, null, null, null);
        }
        JsonNode e = body.get("error");
        if (e != null && e.isTextual()) {
            return new Info(e.textValue(), null, null, null);
        }
        JsonNode src = e != null && e.isObject() ? e : body;
        JsonNode message = src.has("message") ? src.get("message") : src.get("detail");
        return new Info(text(message), text(src.get("type")), text(src.get("param")), text(src.get("code")));
    }

    private static String text(JsonNode n) {
        if (JsonFields.absent(n)) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    /** An error answer ({@code result} not 2xx), its body parsed when it is JSON. */
    static ProviderException fromHttp(String provider, String model, HttpResult result, JsonNode body) {
        Info info = info(body);
        String message = info.message();
        if (message == null && result.body().length > 0) {
            String text = result.bodyText().strip();
            message = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
        }
        ProviderException.Builder b = ProviderException.builder(provider).model(model).status(result.status())
                .errorCode(info.codeOrType()).message(message);
        RetryAfter.of(result).ifPresent(b::retryAfter);
        if ("insufficient_quota".equals(info.code()) || "insufficient_quota".equals(info.type())) {
            b.retryable(false); // billing: waiting does not help
        }
        return b.build();
    }

    /**
     * An error object sent with a 2xx status, inside a stream or as a whole body. A numeric {@code code} in 400..599 is taken as the HTTP
     * status it stands for; otherwise the failure is retryable when its type or code names a server-side
     * or rate problem.
     */
    static ProviderException fromBody(String provider, String model, JsonNode body) {
        Info info = info(body);
        JsonNode rawCode = body.path("error").path("code");
        ProviderException.Builder b = ProviderException.builder(provider).model(model).errorCode(info.codeOrType())
                .message(info.message() != null ? info.message() : "an error object without message");
        if (rawCode.isIntegralNumber() && rawCode.asInt() >= 400 && rawCode.asInt() <= 599) {
            return b.status(rawCode.asInt()).build();
        }
        String what = (info.type() + " " + info.code()).toLowerCase(Locale.ROOT);
        boolean transientFailure = what.contains("server") || what.contains("overload") || what.contains("rate_limit")
                || what.contains("timeout") || what.contains("unavailable");
        return b.kind(Kind.OTHER).retryable(transientFailure).build();
    }

    static ObjectNode write(String message, String type, String param, String code) {
        ObjectNode o = NODES.objectNode();
        ObjectNode e = o.putObject("error").put("message", message == null ? "" : message);
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        return o;
    }
}
