package dev.switchboard.spi;

import java.util.Locale;

/** The author of a chat message, named as in the OpenAI Chat Completions API. */
public enum Role {
    /** Instructions for the model. */
    SYSTEM,
    /** The end user. */
    USER,
    /** The model. */
    ASSISTANT,
    /** A tool's result, answering an assistant's tool call. */
    TOOL;

    /** The wire name: {@code system}, {@code user}, {@code assistant}, {@code tool}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name ({@code developer} is accepted as {@code system}).
     *
     * @throws IllegalArgumentException for an unknown role, naming it
     */
    public static Role fromWire(String name) {
        if (name == null) {
            throw new IllegalArgumentException("role is missing");
        }
        switch (name) {
            case "system": case "developer": return SYSTEM;
            case "user": return USER;
            case "assistant": return ASSISTANT;
            case "tool": return TOOL;
            default: throw new IllegalArgumentException("unknown role '" + name + "' (expected system, user, assistant or tool)");
        }
    }
}
