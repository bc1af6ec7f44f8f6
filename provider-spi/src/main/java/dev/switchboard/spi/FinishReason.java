package dev.switchboard.spi;

import java.util.Locale;

/** Why the model stopped, normalized across vendors; wire names follow OpenAI. */
public enum FinishReason {
    /** A natural end or a stop sequence. */
    STOP,
    /** The token limit was reached. */
    LENGTH,
    /** The model asks for tool calls. */
    TOOL_CALLS,
    /** Content was filtered or refused. */
    CONTENT_FILTER,
    /** The provider reported an error. */
    ERROR,
    /** Anything else. */
    OTHER;

    /** {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, {@code error}, {@code other}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an OpenAI finish reason; unknown values map to {@link #OTHER}, null to null. */
    public static FinishReason fromOpenAi(String value) {
        if (value == null) {
            return null;
        }
        switch (value) {
            case "stop": return STOP;
            case "length": return LENGTH;
            case "tool_calls": case "function_call": return TOOL_CALLS;
            case "content_filter": return CONTENT_FILTER;
            default: return OTHER;
        }
    }
}
