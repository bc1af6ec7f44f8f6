package dev.switchboard.spi;

/**
 * What a provider can do, so requests it cannot serve are refused before any network I/O.
 * Immutable and thread-safe.
 *
 * @param streaming        streamed answers
 * @param tools            tool (function) calling
 * @param images           image content parts
 * @param jsonObject       the {@code json_object} response format
 * @param jsonSchema       the {@code json_schema} response format
 * @param multipleChoices  {@code n > 1}
 * @param seed             a sampling seed
 * @param embeddings       embeddings
 */
public record Capabilities(boolean streaming, boolean tools, boolean images, boolean jsonObject, boolean jsonSchema,
                           boolean multipleChoices, boolean seed, boolean embeddings) {

    /** Everything. */
    public static final Capabilities ALL = new Capabilities(true, true, true, true, true, true, true, true);

    /**
     * Checks a request against these capabilities.
     *
     * @throws ProviderException of kind {@code UNSUPPORTED} naming the first unsupported feature
     */
    public void check(String provider, ChatRequest request, boolean stream) {
        String missing = null;
        if (stream && !streaming) {
            missing = "streaming";
        } else if (!tools && !request.tools().isEmpty()) {
            missing = "tools";
        } else if (!images && request.messages().stream().anyMatch(ChatMessage::hasImages)) {
            missing = "image content";
        } else if (!jsonObject && request.responseFormat().type() == ResponseFormat.Type.JSON_OBJECT) {
            missing = "response_format json_object";
        } else if (!jsonSchema && request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
            missing = "response_format json_schema";
        } else if (!multipleChoices && request.n() != null && request.n() > 1) {
            missing = "n > 1";
        } else if (!seed && request.seed() != null) {
            missing = "seed";
        }
        if (missing != null) {
            throw ProviderException.unsupported(provider, request.model(), missing);
        }
    }
}
