package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default model of an interface or method, as {@code provider/model}, where {@code provider} is a
 * name from the configuration's {@code providers:} map (for example {@code openai/gpt-4o-mini} or
 * {@code azure-eu/gpt-4o}). Configuration may override it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Model {
    /** A model reference {@code provider/model}. */
    String value();
}
