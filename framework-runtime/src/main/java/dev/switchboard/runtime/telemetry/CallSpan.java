package dev.switchboard.runtime.telemetry;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The span and metrics of one call. Thread-safe: the engine calls it from the caller's, providers' and
 * timer threads, one attempt after the other.
 */
final class CallSpan implements CallObserver.Call {
    private final OpenTelemetryObserver owner;
    private final Span span;
    private final CallObserver.CallStart start;
    private final String providerName;
    private final long startNanos = System.nanoTime();
    private volatile String lastProvider;
    private volatile String lastModel;

    CallSpan(OpenTelemetryObserver owner, Span span, CallObserver.CallStart start, String providerName) {
        this.owner = owner;
        this.span = span;
        this.start = start;
        this.providerName = providerName;
    }

    @Override
    public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
        String kind;
        if (lastProvider == null) {
            kind = number == 1 ? "first" : "fallback";
        } else {
            kind = lastProvider.equals(provider) && lastModel.equals(model) ? "retry" : "fallback";
        }
        lastProvider = provider;
        lastModel = model;
        return new AttemptSpan(owner.startAttempt(span, provider, model, number, kind));
    }

    @Override
    public void firstChunk() {
        owner.metrics.firstChunk.record((System.nanoTime() - startNanos) / 1e9, callAttributes());
        span.addEvent("switchboard.first_chunk");
    }

    @Override
    public void success(CallResult result) {
        ChatResponse r = result.response();
        String answeredBy = owner.providerName(result.answeredBy().provider());
        span.setAttribute(GenAi.PROVIDER_NAME, answeredBy);
        span.setAttribute(GenAi.PROVIDER, result.answeredBy().provider());
        span.setAttribute(GenAi.RESPONSE_MODEL, r.model());
        if (r.id() != null) {
            span.setAttribute(GenAi.RESPONSE_ID, r.id());
        }
        span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, finishReasons(r));
        Usage u = r.usage();
        if (u.inputTokens() > 0 || u.outputTokens() > 0) {
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, u.inputTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, u.outputTokens());
        }
        span.setAttribute(GenAi.ATTEMPTS, (long) result.attempts().size());
        if (owner.captureContent && span.isRecording()) {
            span.setAttribute(GenAi.OUTPUT_MESSAGES, MessageContent.output(r));
        }
        skipped(result.attempts());
        span.end();
        GenAiMetrics.SuccessAttributes attrs = owner.metrics.successAttributes(start.variant().deployment(), start.request().model(),
                answeredBy, r.model());
        owner.metrics.duration.record(result.latency().toNanos() / 1e9, attrs.duration());
        owner.metrics.recordUsage(u.inputTokens(), u.outputTokens(), attrs);
        countRetries(owner, start.variant().deployment(), result.attempts());
    }

    @Override
    public void failure(Throwable error, List<Attempt> attempts) {
        String type = markFailed(span, error, attempts);
        skipped(attempts);
        span.end();
        owner.metrics.duration.record((System.nanoTime() - startNanos) / 1e9,
                callAttributes().toBuilder().put(GenAi.ERROR_TYPE, type).build());
        countRetries(owner, start.variant().deployment(), attempts);
    }

    /** Marks a failed call's span (error type, attempt count, status) without ending it; returns the error type. */
    static String markFailed(Span span, Throwable error, List<Attempt> attempts) {
        String type = ErrorTypes.of(error);
        span.setAttribute(GenAi.ERROR_TYPE, type);
        span.setAttribute(GenAi.ATTEMPTS, (long) attempts.size());
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        return type;
    }

    /** Attributes every metric of this call has. */
    private Attributes callAttributes() {
        return owner.metrics.callAttributes(start.variant().deployment(), start.request().model(), providerName);
    }

    private static List<String> finishReasons(ChatResponse r) {
        List<String> out = new ArrayList<>(r.choices().size());
        for (Choice c : r.choices()) {
            out.add(c.finishReason() == null ? "stop" : c.finishReason().wireName());
        }
        return out;
    }

    /** Attempts never sent (open circuit breaker) have no span of their own: they become events. */
    private void skipped(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            if (a.outcome() == Attempt.Outcome.CIRCUIT_OPEN) {
                span.addEvent("switchboard.circuit_open", Attributes.of(GenAi.PROVIDER, a.provider(), GenAi.REQUEST_MODEL, a.model()));
            }
        }
    }

    /** Counts retries (same target again) and fallbacks (next target) of a call of {@code deployment}, by the target that failed. */
    static void countRetries(OpenTelemetryObserver owner, String deployment, List<Attempt> attempts) {
        Attempt prev = null;
        for (Attempt a : attempts) {
            if (prev != null) {
                boolean same = prev.provider().equals(a.provider()) && Objects.equals(prev.model(), a.model());
                if (!same || a.outcome() != Attempt.Outcome.CIRCUIT_OPEN) {
                    Attributes attrs = Attributes.of(GenAi.PROVIDER, prev.provider(), GenAi.PROVIDER_NAME, owner.providerName(prev.provider()),
                            GenAi.REQUEST_MODEL, prev.model(), GenAi.DEPLOYMENT, deployment);
                    (same ? owner.metrics.retries : owner.metrics.fallbacks).add(1, attrs);
                }
            }
            prev = a;
        }
    }
}
