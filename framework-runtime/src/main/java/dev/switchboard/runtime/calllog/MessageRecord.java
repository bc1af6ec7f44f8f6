package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ToolCall;
import java.util.Objects;

/**
 * One request message of a logged call, as text: images become {@code [image]}, an assistant's tool
 * calls {@code [tool_call name {arguments}]}, a tool result is prefixed {@code [tool_result id]}.
 * Immutable; JSON in snake_case.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text (redacted)
 */
public record MessageRecord(@JsonProperty("role") String role, @JsonProperty("content") String content) {
    /** Checks required fields. */
    public MessageRecord {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
    }

    /** The record of a chat message. */
    public static MessageRecord of(ChatMessage m) {
        if (m.toolCallId() == null && m.toolCalls().isEmpty() && m.content().size() == 1
                && m.content().get(0) instanceof ContentPart.Text t) {
            return new MessageRecord(m.role().wireName(), t.text()); // the usual message: one text, nothing to join
        }
        StringBuilder sb = new StringBuilder();
        if (m.toolCallId() != null) {
            sb.append("[tool_result ").append(m.toolCallId()).append("] ");
        }
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            } else {
                sb.append("[image]");
            }
        }
        for (ToolCall tc : m.toolCalls()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("[tool_call ").append(tc.name()).append(' ').append(tc.arguments()).append(']');
        }
        return new MessageRecord(m.role().wireName(), sb.toString());
    }

    /** This record with another content. */
    public MessageRecord withContent(String c) {
        return new MessageRecord(role, c);
    }
}
