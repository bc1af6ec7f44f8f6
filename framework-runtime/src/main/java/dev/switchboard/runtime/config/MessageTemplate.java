package dev.switchboard.runtime.config;

import dev.switchboard.runtime.template.Template;
import dev.switchboard.spi.Role;
import java.util.Objects;

/**
 * One message of a variant, with its text compiled as a {@link Template}. Immutable.
 *
 * @param role     the author
 * @param template the content
 */
public record MessageTemplate(Role role, Template template) {
    /** Checks fields. */
    public MessageTemplate {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(template, "template");
    }

    /** Compiles {@code text} for {@code role}. */
    public static MessageTemplate of(Role role, String text) {
        return new MessageTemplate(role, Template.compile(text));
    }
}
