package dev.switchboard.runtime.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The metric instruments of the call observer. Thread-safe (OpenTelemetry instruments are).
 *
 * <ul>
 * <li>{@code gen_ai.client.operation.duration} (s): one per call, retries and fallbacks included;</li>
 * <li>{@code gen_ai.client.token.usage} ({token}, {@code gen_ai.token.type} = {@code input}/{@code output}):
 *     only when the provider reported usage;</li>
 * <li>{@code switchboard.client.time_to_first_chunk} (s): streams, when the first content chunk arrives;</li>
 * <li>{@code switchboard.client.retries}, {@code switchboard.client.fallbacks}: per retried attempt and per
 *     move to the next target;</li>
 * <li>{@code switchboard.client.circuit_breaker.transitions}: per breaker state change reported to
 *     {@link OpenTelemetryObserver#breakerTransition}.</li>
 * </ul>
 */
final class GenAiMetrics {
    final DoubleHistogram duration;
    final LongHistogram tokens;
    final DoubleHistogram firstChunk;
    final LongCounter retries;
    final LongCounter fallbacks;
    final LongCounter breakerTransitions;
    private static final int MAX_CACHED = 2000;
    private final ConcurrentMap<AttributesKey, SuccessAttributes> success = new ConcurrentHashMap<>();
    private final ConcurrentMap<AttributesKey, Attributes> calls = new ConcurrentHashMap<>();
    private final ConcurrentMap<AttributesKey, Attributes> embeddings = new ConcurrentHashMap<>();

    GenAiMetrics(Meter meter) {
        duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("GenAI operation duration.")
                .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS).build();
        tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used.")
                .setExplicitBucketBoundariesAdvice(GenAi.TOKEN_BUCKETS).build();
        firstChunk = meter.histogramBuilder("switchboard.client.time_to_first_chunk").setUnit("s")
                .setDescription("Time from the start of a streamed call to its first content chunk.")
                .setExplicitBucketBoundariesAdvice(GenAi.FIRST_CHUNK_BUCKETS).build();
        retries = meter.counterBuilder("switchboard.client.retries").setUnit("{retry}")
                .setDescription("Attempts that repeated a failed attempt at the same model.").build();
        fallbacks = meter.counterBuilder("switchboard.client.fallbacks").setUnit("{fallback}")
                .setDescription("Moves from a failed model to the next fallback.").build();
        breakerTransitions = meter.counterBuilder("switchboard.client.circuit_breaker.transitions").setUnit("{transition}")
                .setDescription("Circuit breaker state changes.").build();
    }

    /** Records a call's token usage when reported. */
    void recordUsage(long input, long output, SuccessAttributes a) {
        if (input > 0 || output > 0) {
            tokens.record(input, a.input());
            tokens.record(output, a.output());
        }
    }

    /** The attributes of a successful call's duration and its input and output token counts. */
    record SuccessAttributes(Attributes duration, Attributes input, Attributes output) {
    }

    /**
     * The key of both attribute caches, made per call ({@code responseModel} null in {@link #calls}). Its hash and
     * equality are written out (docs/design.md, "Map keys made per call").
     */
    private record AttributesKey(String deployment, String requestModel, String providerName, String responseModel) {
        @Override
        public int hashCode() {
            int h = 31 * Objects.hashCode(deployment) + Objects.hashCode(requestModel);
            return 31 * (31 * h + Objects.hashCode(providerName)) + Objects.hashCode(responseModel);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AttributesKey k && Objects.equals(deployment, k.deployment) && Objects.equals(requestModel, k.requestModel)
                    && Objects.equals(providerName, k.providerName) && Objects.equals(responseModel, k.responseModel);
        }
    }

    /**
     * The attributes of a successful call's metrics: its {@link #callAttributes} and the response model, built (and
     * sorted) once per combination rather than three times per call. At most {@value #MAX_CACHED} combinations are
     * kept (the metrics SDK keeps no more series per instrument by default either); beyond that they are built per call.
     */
    SuccessAttributes successAttributes(String deployment, String requestModel, String providerName, String responseModel) {
        return cached(success, new AttributesKey(deployment, requestModel, providerName, responseModel), () -> {
            Attributes d = callAttributes(deployment, requestModel, providerName).toBuilder()
                    .put(GenAi.RESPONSE_MODEL, responseModel).build();
            return new SuccessAttributes(d, d.toBuilder().put(GenAi.TOKEN_TYPE, "input").build(),
                    d.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
        });
    }

    /**
     * The attributes every metric of a call has (operation, provider, request model, deployment), as a stream's time to
     * first chunk records them: built once per combination, kept as {@link #successAttributes} are.
     */
    Attributes callAttributes(String deployment, String requestModel, String providerName) {
        return cached(calls, new AttributesKey(deployment, requestModel, providerName, null), () -> Attributes.builder()
                .put(GenAi.OPERATION_NAME, GenAi.CHAT).put(GenAi.PROVIDER_NAME, providerName)
                .put(GenAi.REQUEST_MODEL, requestModel).put(GenAi.DEPLOYMENT, deployment).build());
    }

    /**
     * The attributes of an embeddings call's metrics: operation {@code embeddings}, provider, request model, deployment
     * and, once answered, the response model ({@code responseModel} null before). Kept as {@link #callAttributes} are.
     */
    Attributes embeddingsAttributes(String deployment, String requestModel, String providerName, String responseModel) {
        return cached(embeddings, new AttributesKey(deployment, requestModel, providerName, responseModel), () -> {
            var b = Attributes.builder().put(GenAi.OPERATION_NAME, GenAi.EMBEDDINGS).put(GenAi.PROVIDER_NAME, providerName)
                    .put(GenAi.REQUEST_MODEL, requestModel).put(GenAi.DEPLOYMENT, deployment);
            if (responseModel != null) {
                b.put(GenAi.RESPONSE_MODEL, responseModel);
            }
            return b.build();
        });
    }

    /** What {@code build} gives for {@code key}, kept in {@code cache} while it holds fewer than {@value #MAX_CACHED}. */
    private static <K, V> V cached(ConcurrentMap<K, V> cache, K key, Supplier<V> build) {
        V v = cache.get(key);
        if (v == null) {
            v = build.get();
            if (cache.size() < MAX_CACHED) {
                V earlier = cache.putIfAbsent(key, v);
                if (earlier != null) {
                    v = earlier;
                }
            }
        }
        return v;
    }
}
