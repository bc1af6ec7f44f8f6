package dev.switchboard.runtime.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Names Switchboard reports to OpenTelemetry: the GenAI semantic conventions (v1.37) it follows and its
 * own {@code switchboard.*} additions. Constants only.
 */
public final class GenAi {
    /** The schema of the GenAI conventions followed. */
    public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";
    /** The instrumentation scope name of spans and metrics. */
    public static final String SCOPE = "dev.switchboard";
    /** The operation of a chat completion call. */
    public static final String CHAT = "chat";
    /** The operation of an embeddings call. */
    public static final String EMBEDDINGS = "embeddings";

    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Long> REQUEST_SEED = AttributeKey.longKey("gen_ai.request.seed");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    public static final AttributeKey<Long> EMBEDDINGS_DIMENSION_COUNT = AttributeKey.longKey("gen_ai.embeddings.dimension.count");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    public static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("switchboard.deployment");
    public static final AttributeKey<String> VARIANT = AttributeKey.stringKey("switchboard.variant");
    public static final AttributeKey<String> VERSION = AttributeKey.stringKey("switchboard.version");
    public static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("switchboard.call_id");
    public static final AttributeKey<Boolean> STREAMING = AttributeKey.booleanKey("switchboard.streaming");
    /** The provider entry name from the {@code providers:} map (e.g. {@code azure-eu}). */
    public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("switchboard.provider");
    public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("switchboard.attempts");
    public static final AttributeKey<Long> ATTEMPT_NUMBER = AttributeKey.longKey("switchboard.attempt.number");
    /** {@code first}, {@code retry} or {@code fallback}. */
    public static final AttributeKey<String> ATTEMPT_KIND = AttributeKey.stringKey("switchboard.attempt.kind");
    /** {@code success}, {@code failure}, {@code circuit_open} or {@code cancelled}. */
    public static final AttributeKey<String> ATTEMPT_OUTCOME = AttributeKey.stringKey("switchboard.attempt.outcome");
    /** The state a circuit breaker moved to: {@code open}, {@code half_open}, {@code closed}. */
    public static final AttributeKey<String> BREAKER_STATE = AttributeKey.stringKey("switchboard.circuit_breaker.state");
    /** The state a circuit breaker left. */
    public static final AttributeKey<String> BREAKER_PREVIOUS_STATE = AttributeKey.stringKey("switchboard.circuit_breaker.previous_state");

    /** Operation duration buckets (s) advised by the GenAI conventions. */
    public static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    /** Token usage buckets advised by the GenAI conventions. */
    public static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L, 4194304L, 16777216L, 67108864L);
    /** Time-to-first-chunk buckets (s), those of {@code gen_ai.server.time_to_first_token}. */
    public static final List<Double> FIRST_CHUNK_BUCKETS = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private GenAi() {
    }
}
