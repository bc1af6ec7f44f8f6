package dev.switchboard.api;

/** A call's own input is invalid (a parameter of the wrong type, no messages…); raised before any network I/O. */
public class InvalidRequestException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   the offending field or parameter, may be null
     * @param message what is wrong
     */
    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending field or parameter, or null. */
    public String field() {
        return field;
    }
}
