package dev.switchboard.gateway;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import dev.switchboard.runtime.engine.ResolvedVariant;
import io.netty.util.AsciiString;

/**
 * The {@code x-switchboard-*} response headers: which call, deployment, variant, configuration version and
 * provider answered, and after how many attempts. Set as soon as each is known: the resolution gives
 * deployment, variant and version (and the provider when there is no fallback), the result gives the
 * rest. Stateless.
 */
final class CallHeaders {
    static final AsciiString CALL_ID = AsciiString.cached("x-switchboard-call-id");
    static final AsciiString DEPLOYMENT = AsciiString.cached("x-switchboard-deployment");
    static final AsciiString VARIANT = AsciiString.cached("x-switchboard-variant");
    static final AsciiString VERSION = AsciiString.cached("x-switchboard-version");
    static final AsciiString PROVIDER = AsciiString.cached("x-switchboard-provider");
    static final AsciiString ATTEMPTS = AsciiString.cached("x-switchboard-attempts");

    private CallHeaders() {
    }

    /** What resolution tells before the call runs (the call id is chosen by the gateway up front). */
    static void resolved(Exchange ex, ResolvedVariant rv, String callId) {
        if (callId != null) {
            ex.header(CALL_ID, callId);
        }
        ex.header(DEPLOYMENT, rv.deployment()).header(VARIANT, rv.variant()).header(VERSION, rv.version());
        if (rv.config().fallbacksOrEmpty().isEmpty() && rv.config().model() != null) {
            ex.header(PROVIDER, rv.config().model().provider());
        }
    }

    /** What a finished call tells. */
    static void result(Exchange ex, CallResult r) {
        ex.header(CALL_ID, r.callId()).header(DEPLOYMENT, r.deployment()).header(VARIANT, r.variant())
                .header(VERSION, r.version()).header(PROVIDER, r.answeredBy().provider())
                .header(ATTEMPTS, r.attempts().size());
    }

    /** What a finished embeddings call tells. */
    static void result(Exchange ex, EmbeddingsResult r) {
        ex.header(CALL_ID, r.callId()).header(DEPLOYMENT, r.deployment()).header(VARIANT, r.variant())
                .header(VERSION, r.version()).header(PROVIDER, r.answeredBy().provider())
                .header(ATTEMPTS, r.attempts().size());
    }

    /** What a failed call tells (its attempt count, when known). */
    static void failure(Exchange ex, Throwable failure) {
        Throwable t = ErrorMapper.unwrap(failure);
        if (t instanceof AllAttemptsFailedException e) {
            ex.header(ATTEMPTS, e.attempts().size());
        } else if (t instanceof CallTimeoutException e) {
            ex.header(ATTEMPTS, e.attempts().size());
        }
    }
}
