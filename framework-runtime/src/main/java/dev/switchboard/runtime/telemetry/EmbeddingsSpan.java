package dev.switchboard.runtime.telemetry;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * The span and metrics of one embeddings call: a child span per attempt ({@code first}, then {@code retry}: an
 * embeddings call has no fallbacks), the duration and the input token count by the GenAI conventions, and its
 * retries counted. Thread-safe: the engine calls it from the caller's, providers' and timer threads, one attempt
 * after the other.
 */
final class EmbeddingsSpan implements CallObserver.Call {
    private final OpenTelemetryObserver owner;
    private final Span span;
    private final CallObserver.EmbeddingsStart start;
    private final String providerName;
    private final long startNanos = System.nanoTime();

    EmbeddingsSpan(OpenTelemetryObserver owner, Span span, CallObserver.EmbeddingsStart start, String providerName) {
        this.owner = owner;
        this.span = span;
        this.start = start;
        this.providerName = providerName;
    }

    @Override
    public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
        return new AttemptSpan(owner.startAttempt(span, provider, model, number, number == 1 ? "first" : "retry"));
    }

    @Override
    public void success(EmbeddingsResult result) {
        String model = result.response().model();
        span.setAttribute(GenAi.RESPONSE_MODEL, model);
        long input = result.response().usage().inputTokens();
        if (input > 0) {
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, input);
        }
        span.setAttribute(GenAi.ATTEMPTS, (long) result.attempts().size());
        span.end();
        Attributes attrs = owner.metrics.embeddingsAttributes(start.variant().deployment(), start.request().model(), providerName, model);
        owner.metrics.duration.record(result.latency().toNanos() / 1e9, attrs);
        if (input > 0) {
            owner.metrics.tokens.record(input, attrs.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
        }
        CallSpan.countRetries(owner, start.variant().deployment(), result.attempts()); // every attempt after the first is a retry
    }

    @Override
    public void failure(Throwable error, List<Attempt> attempts) {
        String type = CallSpan.markFailed(span, error, attempts);
        span.end();
        owner.metrics.duration.record((System.nanoTime() - startNanos) / 1e9, owner.metrics.embeddingsAttributes(
                start.variant().deployment(), start.request().model(), providerName, null).toBuilder().put(GenAi.ERROR_TYPE, type).build());
        CallSpan.countRetries(owner, start.variant().deployment(), attempts);
    }
}
