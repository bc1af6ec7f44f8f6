package dev.switchboard.spi;

import java.util.List;
import java.util.Objects;

/**
 * A request for embeddings of one or more texts. Immutable and thread-safe.
 *
 * @param model      the model name at the provider
 * @param inputs     texts to embed, at least one
 * @param dimensions requested vector size, or null for the model's default
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions) {
    /** Checks fields. */
    public EmbeddingRequest {
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("input must not be empty");
        }
        if (dimensions != null && dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
        }
    }
}
