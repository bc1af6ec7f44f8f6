package dev.switchboard.spi;

/**
 * A fragment of a tool call in a stream. The first fragment of a call carries its {@code id} and
 * {@code name}; later ones append to {@code argumentsFragment}.
 *
 * @param index             the tool call's position in the message
 * @param id                the call id, on the first fragment only
 * @param name              the function name, on the first fragment only
 * @param argumentsFragment text to append to the arguments
 */
public record ToolCallDelta(int index, String id, String name, String argumentsFragment) {
}
