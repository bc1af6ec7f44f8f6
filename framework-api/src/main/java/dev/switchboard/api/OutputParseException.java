package dev.switchboard.api;

/** The model's answer could not be mapped to the method's return type. Carries the raw text. */
public class OutputParseException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final String rawText;

    /**
     * @param message what was expected and where
     * @param rawText the model's raw answer
     * @param cause   the parser's error
     */
    public OutputParseException(String message, String rawText, Throwable cause) {
        super(message, cause);
        this.rawText = rawText;
    }

    /** The model's raw answer. */
    public String rawText() {
        return rawText;
    }
}
