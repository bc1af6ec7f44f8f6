package dev.switchboard.runtime.engine;

/**
 * Wraps a failure that happened after a stream's output reached the caller, so that neither retry nor
 * fallback repeats the request (which would duplicate output). The call then fails with the cause.
 */
final class AfterOutputFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AfterOutputFailure(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
