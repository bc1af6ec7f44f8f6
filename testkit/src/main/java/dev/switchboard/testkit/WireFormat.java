package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The wire formats the server speaks, chosen from the request path; also renders error bodies in the
 * matching shape. Enum constants are immutable and thread-safe.
 */
enum WireFormat {
    OPENAI_CHAT,
    OPENAI_EMBEDDINGS,
    ANTHROPIC_MESSAGES,
    /** No built-in format: raw routes and unknown paths. Errors use the OpenAI shape. */
    NONE;

    /** @return the format served for a POST to this path (with or without the {@code /v1} prefix) */
    static WireFormat of(String method, String path) {
        if (!"POST".equals(method)) {
            return NONE;
        }
        switch (path) {
            case "/v1/chat/completions":
            case "/chat/completions":
                return OPENAI_CHAT;
            case "/v1/embeddings":
            case "/embeddings":
                return OPENAI_EMBEDDINGS;
            case "/v1/messages":
            case "/messages":
                return ANTHROPIC_MESSAGES;
            default:
                return NONE;
        }
    }

    boolean canStream() {
        return this == OPENAI_CHAT || this == ANTHROPIC_MESSAGES;
    }

    /** @return an error body in this format's shape */
    byte[] errorBody(int status, String type, String code, String message) {
        String msg = message != null ? message : "fake " + status + " " + BodyWriter.reason(status)
                + " (scripted by switchboard testkit)";
        ObjectNode root = Json.object();
        if (this == ANTHROPIC_MESSAGES) {
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", type != null ? type : anthropicType(status));
            error.put("message", msg);
        } else {
            ObjectNode error = root.putObject("error");
            error.put("message", msg);
            error.put("type", type != null ? type : openAiType(status));
            error.putNull("param");
            String c = code != null ? code : openAiCode(status);
            if (c == null) {
                error.putNull("code");
            } else {
                error.put("code", c);
            }
        }
        return Json.bytes(root);
    }

    /** @return an error body for a scripted error reply */
    byte[] errorBody(Reply reply) {
        return errorBody(reply.status(), reply.errorType(), reply.errorCode(), reply.errorMessage());
    }

    private static String openAiType(int status) {
        switch (status) {
            case 403: return "permission_error";
            case 429: return "requests";
            default: return status >= 500 ? "server_error" : "invalid_request_error";
        }
    }

    private static String openAiCode(int status) {
        switch (status) {
            case 401: return "invalid_api_key";
            case 429: return "rate_limit_exceeded";
            default: return null;
        }
    }

    private static String anthropicType(int status) {
        switch (status) {
            case 401: return "authentication_error";
            case 403: return "permission_error";
            case 404: return "not_found_error";
            case 413: return "request_too_large";
            case 429: return "rate_limit_error";
            case 529: return "overloaded_error";
            default: return status >= 500 ? "api_error" : "invalid_request_error";
        }
    }
}
