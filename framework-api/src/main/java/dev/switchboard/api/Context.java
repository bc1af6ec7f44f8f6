package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter to a routing context attribute (for example {@code locale},
 * {@code user_id}, {@code environment}). Context selects the deployment variant; it is not rendered
 * into messages. A {@code null} value means the attribute is absent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Context {
    /** The attribute name. */
    String value();
}
