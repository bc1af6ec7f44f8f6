package dev.switchboard.spi;

import java.util.Objects;

/**
 * A function call the model asks for. Immutable and thread-safe.
 *
 * @param id        the call id the tool result must refer to
 * @param name      the function name
 * @param arguments the arguments as a JSON object text
 */
public record ToolCall(String id, String name, String arguments) {
    /** Checks required fields; absent arguments become {@code {}}. */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
