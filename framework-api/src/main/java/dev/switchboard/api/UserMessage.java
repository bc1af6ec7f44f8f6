package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The user message template of a method. {@code {{name}}} placeholders are filled from {@link Var}
 * parameters. A method without {@code @UserMessage} must have exactly one parameter without
 * annotation, whose value becomes the user message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UserMessage {
    /** The template text; several strings are joined with a newline. */
    String[] value();
}
