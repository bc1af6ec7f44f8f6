package dev.switchboard.spi;

/**
 * Whether and which tool the model must call. Immutable and thread-safe.
 *
 * @param mode         how tools are chosen
 * @param functionName the function to call when {@code mode} is {@link Mode#FUNCTION}
 */
public record ToolChoice(Mode mode, String functionName) {
    /** Tool choice modes. */
    public enum Mode {
        /** The model decides. */
        AUTO,
        /** No tool call. */
        NONE,
        /** At least one tool call. */
        REQUIRED,
        /** A call to {@code functionName}. */
        FUNCTION
    }

    /** Checks that a function mode names its function. */
    public ToolChoice {
        if (mode == null) {
            throw new IllegalArgumentException("tool choice mode is missing");
        }
        if (mode == Mode.FUNCTION && (functionName == null || functionName.isBlank())) {
            throw new IllegalArgumentException("tool choice FUNCTION needs a function name");
        }
    }

    /** A choice of the given mode without function. */
    public static ToolChoice of(Mode mode) {
        return new ToolChoice(mode, null);
    }

    /** The model must call {@code name}. */
    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, name);
    }
}
