package dev.switchboard.spi;

import java.util.Objects;

/**
 * One answer of a chat response (there are several when the request asked for {@code n > 1}).
 *
 * @param index        the choice's index
 * @param message      the assistant message
 * @param finishReason why generation stopped, may be null when unknown
 */
public record Choice(int index, ChatMessage message, FinishReason finishReason) {
    /** Checks the message. */
    public Choice {
        Objects.requireNonNull(message, "message");
    }
}
