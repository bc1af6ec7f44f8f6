package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function the model may call. Immutable and thread-safe.
 *
 * @param name        the function name
 * @param description what it does, may be null
 * @param parameters  its arguments as a JSON schema object, may be null for none
 * @param strict      whether the provider must follow the schema exactly (where supported)
 */
public record ToolDefinition(String name, String description, JsonNode parameters, boolean strict) {
    /** Checks the name. */
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tool name must not be blank");
        }
    }
}
