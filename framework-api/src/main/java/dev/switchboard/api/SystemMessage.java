package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The system message template of a method (or of every method of an interface). {@code {{name}}}
 * placeholders are filled from {@link Var} parameters before any network I/O; a placeholder with no
 * value is an error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SystemMessage {
    /** The template text; several strings are joined with a newline. */
    String[] value();
}
