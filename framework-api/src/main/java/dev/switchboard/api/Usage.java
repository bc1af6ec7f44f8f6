package dev.switchboard.api;

/**
 * Token usage of one call as reported by the provider. Immutable and thread-safe.
 *
 * @param inputTokens  prompt tokens, including cached ones
 * @param outputTokens completion tokens
 * @param cachedInputTokens prompt tokens served from the provider's prompt cache (0 when unknown)
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {

    /** No usage reported. */
    public static final Usage NONE = new Usage(0, 0, 0);

    /** Validates that counts are not negative. */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + inputTokens + "/" + outputTokens + "/" + cachedInputTokens);
        }
    }

    /** Usage without cache information. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0);
    }

    /** Input plus output tokens. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The sum of this and {@code other}, field by field. */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cachedInputTokens + other.cachedInputTokens);
    }
}
