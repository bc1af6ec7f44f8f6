package dev.switchboard.gateway;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY;
import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.GATEWAY_TIMEOUT;
import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.TOO_MANY_REQUESTS;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.ConfigException;
import dev.switchboard.api.InvalidRequestException;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.api.TemplateException;
import dev.switchboard.api.UnknownDeploymentException;
import dev.switchboard.runtime.providers.openai.OpenAiFormatException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Maps what a call can fail with to the gateway's HTTP error: 400 bad request or field (naming it), 404
 * unknown model or deployment, 429 when every attempt was rate limited, 502 provider failure (naming each
 * provider and why), 503 when every circuit breaker was open, 504 call timeout, 500 anything else.
 * Every message goes through the {@link Redactor} (which follows the configuration in force). Thread-safe.
 */
final class ErrorMapper {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErrorMapper.class);
    private final Redactor redactor;

    ErrorMapper(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The redactor applied to messages. */
    Redactor redactor() {
        return redactor;
    }

    /** The HTTP error for {@code failure} (completion wrappers are unwrapped), message redacted. */
    GatewayException map(Throwable failure) {
        GatewayException g = classify(unwrap(failure));
        String message = redactor.apply(g.getMessage());
        return message.equals(g.getMessage()) ? g : new GatewayException(g.status(), g.type(), g.param(), g.code(), message);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private GatewayException classify(Throwable t) {
        if (t instanceof GatewayException g) {
            return g;
        }
        if (t instanceof OpenAiFormatException f) {
            return GatewayException.badRequest(f.path().isEmpty() ? null : f.path(), f.getMessage());
        }
        if (t instanceof InvalidRequestException e) {
            return GatewayException.badRequest(e.field(), e.getMessage());
        }
        if (t instanceof TemplateException e) {
            return new GatewayException(BAD_REQUEST, "invalid_request_error", "inputs." + e.variable(), "missing_variable", e.getMessage());
        }
        if (t instanceof UnknownDeploymentException e) {
            return GatewayException.notFound("model", "model_not_found", e.getMessage());
        }
        if (t instanceof CallTimeoutException e) {
            return new GatewayException(GATEWAY_TIMEOUT, "timeout_error", null, "timeout", e.getMessage());
        }
        if (t instanceof AllAttemptsFailedException e) {
            return providerFailure(e.causes(), e.getMessage());
        }
        if (t instanceof ProviderCallException e) {
            return providerFailure(List.of(e), e.getMessage());
        }
        if (t instanceof ConfigException e) {
            LOG.warn("configuration error during a call: {}", redactor.apply(e.getMessage()));
            return new GatewayException(INTERNAL_SERVER_ERROR, "server_error", null, "config_error", e.getMessage());
        }
        if (t instanceof CancellationException) {
            return new GatewayException(SERVICE_UNAVAILABLE, "server_error", null, "cancelled", "the call was cancelled");
        }
        LOG.error("unexpected failure: {}", redactor.apply(String.valueOf(t)), t);
        return new GatewayException(INTERNAL_SERVER_ERROR, "server_error", null, "internal_error",
                "internal error (" + t.getClass().getSimpleName() + ")");
    }

    private static GatewayException providerFailure(List<Throwable> causes, String message) {
        if (all(causes, p -> p.kind() == Kind.CIRCUIT_OPEN)) {
            return new GatewayException(SERVICE_UNAVAILABLE, "service_unavailable_error", null, "circuit_open", message);
        }
        if (all(causes, p -> p.statusCode() == 429)) {
            return new GatewayException(TOO_MANY_REQUESTS, "rate_limit_error", null, "rate_limit_exceeded", message);
        }
        if (all(causes, p -> p.kind() == Kind.UNSUPPORTED)) {
            return new GatewayException(BAD_REQUEST, "invalid_request_error", null, "unsupported", message);
        }
        if (all(causes, p -> p.statusCode() == 400 || p.statusCode() == 422)) {
            return new GatewayException(BAD_REQUEST, "invalid_request_error", null, "upstream_rejected", message);
        }
        return new GatewayException(BAD_GATEWAY, "upstream_error", null, "provider_error", message);
    }

    private static boolean all(List<Throwable> causes, Predicate<ProviderCallException> test) {
        if (causes.isEmpty()) {
            return false;
        }
        for (Throwable c : causes) {
            if (!(unwrap(c) instanceof ProviderCallException p) || !test.test(p)) {
                return false;
            }
        }
        return true;
    }
}
