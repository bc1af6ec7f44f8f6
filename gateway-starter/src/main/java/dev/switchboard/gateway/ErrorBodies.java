package dev.switchboard.gateway;

import dev.switchboard.runtime.providers.openai.OpenAiCodec;

/** OpenAI-shaped error bodies for responses written outside an {@link Exchange}. Stateless. */
final class ErrorBodies {
    private ErrorBodies() {
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    static byte[] json(String message, String type, String param, String code) {
        return OpenAiCodec.shared().writeError(message, type, param, code);
    }
}
