package dev.switchboard.api;

/**
 * A prompt interface cannot be implemented: thrown by {@code Switchboard.create(Class)} and naming the
 * interface, the method and the problem (a template variable without parameter, an unsupported return
 * type, an unknown provider…).
 */
public class DefinitionException extends SwitchboardException {
    private static final long serialVersionUID = 1L;

    /** With a message naming interface, method and problem. */
    public DefinitionException(String message) {
        super(message);
    }
}
