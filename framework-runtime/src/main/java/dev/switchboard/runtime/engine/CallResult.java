package dev.switchboard.runtime.engine;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.config.ModelRef;
import dev.switchboard.spi.ChatResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A successful call: the provider's answer and what produced it. Immutable.
 *
 * @param response   the answer
 * @param answeredBy the model reference that answered
 * @param callId     the call id
 * @param deployment the deployment key
 * @param variant    the variant
 * @param version    the configuration version
 * @param attempts   every attempt in order
 * @param startedAt  when the call started
 * @param latency    how long it took
 * @param timeToFirstChunk for streams, time until the first content chunk; null otherwise
 */
public record CallResult(ChatResponse response, ModelRef answeredBy, String callId, String deployment, String variant,
                         String version, List<Attempt> attempts, Instant startedAt, Duration latency, Duration timeToFirstChunk) {
}
