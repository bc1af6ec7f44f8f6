package dev.switchboard.runtime.providers.gemini;

/**
 * Carries Gemini's {@code thoughtSignature} of a function call through the normalized model, which has no
 * slot for it, inside the tool call id: {@code <id>__thought__<signature>}. Callers echo tool call ids back
 * verbatim with the assistant turn, so the signature returns with the next request without any state in
 * the provider (Gemini 3 rejects a replayed function call without its signature). Stateless and thread-safe.
 */
final class ThoughtSignatures {
    static final String SEPARATOR = "__thought__";

    private ThoughtSignatures() {
    }

    /** The tool call id to expose for a call id and its signature (null for none). */
    static String attach(String id, String signature) {
        return signature == null || signature.isEmpty() ? id : id + SEPARATOR + signature;
    }

    /** The signature carried by a tool call id, or null. */
    static String signature(String toolCallId) {
        int at = toolCallId == null ? -1 : toolCallId.indexOf(SEPARATOR);
        return at < 0 || at + SEPARATOR.length() == toolCallId.length() ? null : toolCallId.substring(at + SEPARATOR.length());
    }
}
