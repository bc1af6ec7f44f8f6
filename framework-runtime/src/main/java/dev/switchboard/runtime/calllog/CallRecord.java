package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the call log keeps of one call. Immutable and thread-safe; serializes to snake_case JSON with
 * {@link CallRecordJson} (or any Jackson mapper with the JSR-310 module). Credentials never appear in a
 * record built by {@link CallRecordObserver}: configured API keys are masked in every text.
 *
 * <pre>{@code
 * CallRecord r = CallRecord.builder("call_1").startedAt(t0).endedAt(t1).deployment("support-bot.answer")
 *     .status(CallRecord.Status.SUCCESS).inputTokens(12).outputTokens(40).build();
 * }</pre>
 *
 * @param id                 the call id
 * @param traceId            the trace id (32 hex digits), null without tracing
 * @param spanId             the call span's id (16 hex digits), or the caller's span when Switchboard has no tracer
 * @param startedAt          when the call started
 * @param endedAt            when it ended
 * @param origin             who made it: {@code gateway} or an application name/instance
 * @param deployment         the deployment key (or {@code provider/model} for a direct call)
 * @param variant            the variant
 * @param version            the configuration version
 * @param streaming          whether the answer was streamed
 * @param provider           the provider entry that answered (the last tried on failure)
 * @param model              the model asked of it
 * @param responseModel      the model the provider says answered
 * @param attempts           every attempt in order
 * @param status             success or error
 * @param errorType          on error, the error type (as {@code error.type} on spans)
 * @param errorMessage       on error, the message (redacted)
 * @param finishReason       why the model stopped ({@code stop}, {@code length}, …)
 * @param latencyMs          total latency
 * @param timeToFirstTokenMs for streams, time to the first content chunk; null otherwise
 * @param inputTokens        prompt tokens (including cached ones)
 * @param outputTokens       completion tokens
 * @param cachedTokens       prompt tokens served from the provider's cache
 * @param costUsd            cost in USD from the price table; null when the model has no price
 * @param context            the routing context
 * @param metadata           the caller's metadata
 * @param requestMessages    the request messages (redacted); null when content logging is off
 * @param reply              the answer's text (redacted); null when content logging is off or on error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallRecord(
        @JsonProperty("id") String id,
        @JsonProperty("trace_id") String traceId,
        @JsonProperty("span_id") String spanId,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("ended_at") Instant endedAt,
        @JsonProperty("origin") String origin,
        @JsonProperty("deployment") String deployment,
        @JsonProperty("variant") String variant,
        @JsonProperty("version") String version,
        @JsonProperty("streaming") boolean streaming,
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("response_model") String responseModel,
        @JsonProperty("attempts") List<AttemptRecord> attempts,
        @JsonProperty("status") Status status,
        @JsonProperty("error_type") String errorType,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("finish_reason") String finishReason,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("time_to_first_token_ms") Long timeToFirstTokenMs,
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("cached_tokens") long cachedTokens,
        @JsonProperty("cost_usd") BigDecimal costUsd,
        @JsonProperty("context") Map<String, String> context,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("request_messages") List<MessageRecord> requestMessages,
        @JsonProperty("reply") String reply) {

    /** How a call ended. */
    public enum Status {
        /** The call returned an answer. */
        @JsonProperty("success") SUCCESS,
        /** The call failed. */
        @JsonProperty("error") ERROR
    }

    /** Checks required fields and copies collections (null ones become empty, except request messages). */
    public CallRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(status, "status");
        endedAt = endedAt == null ? startedAt : endedAt;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        context = frozen(context);
        metadata = frozen(metadata);
        requestMessages = requestMessages == null ? null : List.copyOf(requestMessages);
    }

    private static Map<String, String> frozen(Map<String, String> m) {
        return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A builder for the record of call {@code id}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        return new Builder(id).traceId(traceId).spanId(spanId).startedAt(startedAt).endedAt(endedAt).origin(origin)
                .deployment(deployment).variant(variant).version(version).streaming(streaming).provider(provider)
                .model(model).responseModel(responseModel).attempts(attempts).status(status).errorType(errorType)
                .errorMessage(errorMessage).finishReason(finishReason).latencyMs(latencyMs)
                .timeToFirstTokenMs(timeToFirstTokenMs).inputTokens(inputTokens).outputTokens(outputTokens)
                .cachedTokens(cachedTokens).costUsd(costUsd).context(context).metadata(metadata)
                .requestMessages(requestMessages).reply(reply);
    }

    /** Builds a {@link CallRecord}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String traceId;
        private String spanId;
        private Instant startedAt;
        private Instant endedAt;
        private String origin;
        private String deployment;
        private String variant;
        private String version;
        private boolean streaming;
        private String provider;
        private String model;
        private String responseModel;
        private List<AttemptRecord> attempts;
        private Status status;
        private String errorType;
        private String errorMessage;
        private String finishReason;
        private long latencyMs;
        private Long timeToFirstTokenMs;
        private long inputTokens;
        private long outputTokens;
        private long cachedTokens;
        private BigDecimal costUsd;
        private Map<String, String> context;
        private Map<String, String> metadata;
        private List<MessageRecord> requestMessages;
        private String reply;

        private Builder(String id) {
            this.id = id;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder traceId(String v) { traceId = v; return this; }
        public Builder spanId(String v) { spanId = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder endedAt(Instant v) { endedAt = v; return this; }
        public Builder origin(String v) { origin = v; return this; }
        public Builder deployment(String v) { deployment = v; return this; }
        public Builder variant(String v) { variant = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder streaming(boolean v) { streaming = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder responseModel(String v) { responseModel = v; return this; }
        public Builder attempts(List<AttemptRecord> v) { attempts = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder errorType(String v) { errorType = v; return this; }
        public Builder errorMessage(String v) { errorMessage = v; return this; }
        public Builder finishReason(String v) { finishReason = v; return this; }
        public Builder latencyMs(long v) { latencyMs = v; return this; }
        public Builder timeToFirstTokenMs(Long v) { timeToFirstTokenMs = v; return this; }
        public Builder inputTokens(long v) { inputTokens = v; return this; }
        public Builder outputTokens(long v) { outputTokens = v; return this; }
        public Builder cachedTokens(long v) { cachedTokens = v; return this; }
        public Builder costUsd(BigDecimal v) { costUsd = v; return this; }
        public Builder context(Map<String, String> v) { context = v; return this; }
        public Builder metadata(Map<String, String> v) { metadata = v; return this; }
        public Builder requestMessages(List<MessageRecord> v) { requestMessages = v; return this; }
        public Builder reply(String v) { reply = v; return this; }

        /**
         * Builds the record.
         *
         * @throws NullPointerException when id, started_at or status is missing
         */
        public CallRecord build() {
            return new CallRecord(id, traceId, spanId, startedAt, endedAt, origin, deployment, variant, version, streaming,
                    provider, model, responseModel, attempts, status, errorType, errorMessage, finishReason, latencyMs,
                    timeToFirstTokenMs, inputTokens, outputTokens, cachedTokens, costUsd, context, metadata,
                    requestMessages, reply);
        }
    }
}
