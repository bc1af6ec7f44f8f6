package dev.switchboard.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A call's result with what produced it: declare a method returning {@code Completion<T>} to get the
 * content together with usage, model, routing and attempts. Immutable and thread-safe (when {@code T}
 * is).
 *
 * <pre>{@code
 * Completion<String> c = bot.answerWithUsage("How do I reset my password?");
 * log.info("{} tokens from {} after {} attempts", c.usage().totalTokens(), c.modelRef(), c.attempts().size());
 * }</pre>
 *
 * @param content      the mapped content
 * @param text         the raw text the model returned
 * @param usage        token usage of the answering attempt
 * @param provider     the provider name that answered
 * @param model        the model that answered, as reported by the provider
 * @param finishReason normalized finish reason ({@code stop}, {@code length}, {@code tool_calls},
 *                     {@code content_filter}, …)
 * @param callId       the call's id, as in the call log
 * @param deployment   the deployment key
 * @param variant      the deployment variant routing chose
 * @param version      the configuration version that produced the call
 * @param attempts     every attempt in order; the last one succeeded
 * @param latency      the whole call's duration
 * @param <T>          the content type
 */
public record Completion<T>(T content, String text, Usage usage, String provider, String model, String finishReason,
                            String callId, String deployment, String variant, String version,
                            List<Attempt> attempts, Duration latency) {

    /** Checks required fields and copies the attempt list. */
    public Completion {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        attempts = List.copyOf(attempts);
    }

    /** {@code provider/model} of the answer. */
    public String modelRef() {
        return provider + "/" + model;
    }

    /** Whether a retry or a fallback was needed. */
    public boolean wasRetried() {
        return attempts.size() > 1;
    }
}
