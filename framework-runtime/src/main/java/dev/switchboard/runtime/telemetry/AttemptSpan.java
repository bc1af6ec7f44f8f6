package dev.switchboard.runtime.telemetry;

import dev.switchboard.api.Attempt;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.spi.ChatResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Locale;

/**
 * The span of one attempt: current (with {@link #enter()}) while the provider sends its request, ended
 * with the attempt's outcome, HTTP status and error type. Thread-safe.
 */
final class AttemptSpan implements CallObserver.AttemptWatch {
    private final Span span;

    AttemptSpan(Span span) {
        this.span = span;
    }

    @Override
    public AutoCloseable enter() {
        return Context.current().with(span).makeCurrent();
    }

    @Override
    public void end(Attempt attempt, ChatResponse response, Throwable error) {
        span.setAttribute(GenAi.ATTEMPT_OUTCOME, attempt.outcome().name().toLowerCase(Locale.ROOT));
        if (attempt.statusCode() > 0) {
            span.setAttribute(GenAi.HTTP_STATUS, (long) attempt.statusCode());
        }
        if (response != null) {
            span.setAttribute(GenAi.RESPONSE_MODEL, response.model());
        }
        if (error != null) {
            span.setAttribute(GenAi.ERROR_TYPE, ErrorTypes.of(error));
            span.setStatus(StatusCode.ERROR, attempt.error() == null ? error.getClass().getSimpleName() : attempt.error());
        }
        span.end();
    }
}
