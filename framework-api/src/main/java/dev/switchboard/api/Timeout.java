package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Total time budget of one call, across every attempt, backoff and fallback. When it runs out the
 * call fails with {@link CallTimeoutException} and the in-flight request is cancelled.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Timeout {
    /** Whole seconds; ignored when {@link #millis()} is set. */
    long seconds() default 60;

    /** Milliseconds; takes precedence over {@link #seconds()} when positive. */
    long millis() default 0;
}
