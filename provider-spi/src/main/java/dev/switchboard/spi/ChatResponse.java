package dev.switchboard.spi;

import dev.switchboard.api.Usage;
import java.util.List;
import java.util.Objects;

/**
 * A provider's normalized answer. Immutable and thread-safe.
 *
 * @param id      the provider's response id, may be null
 * @param model   the model that answered, as the provider reports it
 * @param choices one or more answers
 * @param usage   token usage, {@link Usage#NONE} when the provider reported none
 */
public record ChatResponse(String id, String model, List<Choice> choices, Usage usage) {

    /** Checks fields and copies the choices. */
    public ChatResponse {
        Objects.requireNonNull(model, "model");
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a chat response needs at least one choice");
        }
        usage = usage == null ? Usage.NONE : usage;
    }

    /** A one-choice text answer. */
    public static ChatResponse ofText(String id, String model, String text, FinishReason finish, Usage usage) {
        return new ChatResponse(id, model, List.of(new Choice(0, ChatMessage.assistant(text), finish)), usage);
    }

    /** The first choice's message. */
    public ChatMessage message() {
        return choices.get(0).message();
    }

    /** The first choice's text. */
    public String text() {
        return message().text();
    }

    /** The first choice's finish reason, may be null. */
    public FinishReason finishReason() {
        return choices.get(0).finishReason();
    }
}
