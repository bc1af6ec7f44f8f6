package dev.switchboard.runtime.engine;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.spi.EmbeddingResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A successful embeddings call: the provider's vectors and what produced them. Immutable.
 *
 * @param response   the vectors and usage
 * @param answeredBy the model reference that answered
 * @param callId     the call id
 * @param deployment the deployment key (the model reference when the call named a model)
 * @param variant    the variant
 * @param version    the configuration version
 * @param attempts   every attempt in order
 * @param startedAt  when the call started
 * @param latency    how long it took
 */
public record EmbeddingsResult(EmbeddingResponse response, ModelRef answeredBy, String callId, String deployment, String variant,
                               String version, List<Attempt> attempts, Instant startedAt, Duration latency) {
}
