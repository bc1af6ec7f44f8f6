package dev.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the deployment whose configuration a prompt interface (or one of its methods) uses.
 *
 * <pre>{@code
 * @Deployment("support-bot")
 * interface SupportBot {
 *     @UserMessage("{{question}}") String answer(@Var("question") String q);   // key "support-bot.answer"
 *     @Deployment("triage") @UserMessage("{{email}}") Ticket triage(@Var("email") String e); // key "triage"
 * }
 * }</pre>
 *
 * <p>A method's deployment key is the method's own {@code @Deployment} when present; otherwise
 * {@code <interface key>.<method name>}, where the interface key is the interface's {@code @Deployment}
 * or, without one, its simple name. Configuration under the interface key applies to all of its
 * methods; configuration under the method key overrides it for that method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Deployment {
    /** The deployment key: letters, digits, {@code . _ -}. */
    String value();
}
