package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A default model parameter, sent as is in the provider request ({@code temperature},
 * {@code max_tokens}, {@code top_p}, {@code seed}, …). The value is parsed as JSON when it is a
 * number, boolean or JSON literal, otherwise sent as a string. Configuration may override it.
 *
 * <pre>{@code @Param(name = "temperature", value = "0.2") @Param(name = "max_tokens", value = "300")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Param.List.class)
public @interface Param {
    /** Parameter name in snake_case, as in the OpenAI Chat Completions API. */
    String name();

    /** Parameter value. */
    String value();

    /** Container of repeated {@link Param}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        /** The parameters. */
        Param[] value();
    }
}
