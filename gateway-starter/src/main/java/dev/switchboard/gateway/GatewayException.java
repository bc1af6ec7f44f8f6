package dev.switchboard.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A failure the gateway answers with an OpenAI-shaped error body
 * {@code {"error":{"message","type","param","code"}}} and the given HTTP status. Immutable.
 *
 * <p>Messages must never carry credentials; {@link ErrorMapper} redacts configured provider keys from
 * every message it builds as a second line of defence.
 */
final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient HttpResponseStatus status;
    private final String type;
    private final String param;
    private final String code;

    /**
     * @param status  the HTTP status
     * @param type    the OpenAI error type ({@code invalid_request_error}, {@code authentication_error}…)
     * @param param   the request field at fault as a path such as {@code messages[0].role}, or null
     * @param code    a machine-readable code, or null
     * @param message what went wrong, for a human
     */
    GatewayException(HttpResponseStatus status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 invalid_request_error naming the field at fault. */
    static GatewayException badRequest(String param, String message) {
        return new GatewayException(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", param, "invalid_request", message);
    }

    /** 404 for an unknown model, deployment or path. */
    static GatewayException notFound(String param, String code, String message) {
        return new GatewayException(HttpResponseStatus.NOT_FOUND, "not_found_error", param, code, message);
    }

    HttpResponseStatus status() {
        return status;
    }

    String type() {
        return type;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }
}
