package dev.switchboard.runtime.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.runtime.providers.support.JsonHttp;

/** Small JSON helpers of the Gemini package, over {@link JsonHttp}'s shared mapper. Thread-safe. */
final class GeminiJson {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GeminiJson() {
    }

    /** Parses JSON text, or returns null when it is empty or not JSON. */
    static JsonNode parseOrNull(String text) {
        try {
            return JsonHttp.parse(text);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /** Whether a field is missing or JSON null. */
    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /** A non-negative whole count, 0 when absent or not a number. */
    static long count(JsonNode n) {
        return n != null && n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : 0;
    }
}
