package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Ordered fallback models ({@code provider/model}) tried when the primary model has failed all its
 * attempts (or its circuit breaker is open). Each fallback gets the same retry policy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Fallback {
    /** Model references, tried in order. */
    String[] value();
}
