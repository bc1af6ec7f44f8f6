package dev.switchboard.api;

/**
 * Root of every exception Switchboard throws to callers. Subtypes say what failed:
 * {@link DefinitionException} (an annotated interface is wrong), {@link ConfigException} (configuration
 * is invalid), {@link TemplateException} (a message could not be rendered),
 * {@link ProviderCallException} (a provider failed), {@link AllAttemptsFailedException} (every retry
 * and fallback failed), {@link CallTimeoutException} (the call's time budget ran out) and
 * {@link OutputParseException} (the answer did not map to the return type).
 */
public class SwitchboardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public SwitchboardException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
