package dev.switchboard.api;

/** A message template could not be rendered (for example a variable has no value); raised before any network I/O. */
public class TemplateException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final String variable;

    /**
     * @param variable the variable at fault
     * @param message  what is wrong and where
     */
    public TemplateException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** The variable at fault. */
    public String variable() {
        return variable;
    }
}
