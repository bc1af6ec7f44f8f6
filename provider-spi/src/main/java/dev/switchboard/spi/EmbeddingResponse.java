package dev.switchboard.spi;

import dev.switchboard.api.Usage;
import java.util.List;
import java.util.Objects;

/**
 * Embedding vectors, one per input in order. Immutable (the arrays are not copied on access: do not
 * modify them).
 *
 * @param model   the model that answered
 * @param vectors one vector per input
 * @param usage   token usage
 */
public record EmbeddingResponse(String model, List<float[]> vectors, Usage usage) {
    /** Checks fields. */
    public EmbeddingResponse {
        Objects.requireNonNull(model, "model");
        vectors = List.copyOf(vectors);
        usage = usage == null ? Usage.NONE : usage;
    }
}
