package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Default retry policy of a method or interface: up to {@link #count()} retries after the first
 * attempt when the provider answers one of {@link #onCodes()} (or fails to connect, or sends a
 * malformed body), with exponential backoff and jitter, honouring {@code Retry-After}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Retry {
    /** Retries after the first attempt (0 disables retrying). */
    int count();

    /** HTTP status codes that are retried. */
    int[] onCodes() default {408, 429, 500, 502, 503, 504};

    /** First backoff delay in milliseconds; doubles each retry up to {@link #maxBackoffMillis()}. */
    long backoffMillis() default 200;

    /** Upper bound of one backoff delay, including a {@code Retry-After} the provider asks for. */
    long maxBackoffMillis() default 10_000;
}
