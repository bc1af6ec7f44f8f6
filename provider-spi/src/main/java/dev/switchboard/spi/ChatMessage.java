package dev.switchboard.spi;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation, in the normalized form every provider maps from. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ChatMessage.system("Be brief."); ChatMessage.user("Hi"); ChatMessage.toolResult("call_1", "{\"temp\":21}");
 * }</pre>
 *
 * @param role       the author
 * @param content    content parts (text, images); empty for an assistant message with only tool calls
 * @param toolCalls  tool calls of an assistant message
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 * @param name       an optional participant name
 */
public record ChatMessage(Role role, List<ContentPart> content, List<ToolCall> toolCalls, String toolCallId, String name) {

    /** Checks the role's requirements and copies lists. */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("a tool message needs the tool_call_id it answers");
        }
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages carry tool calls");
        }
    }

    /** A system message. */
    public static ChatMessage system(String text) {
        return of(Role.SYSTEM, text);
    }

    /** A user message. */
    public static ChatMessage user(String text) {
        return of(Role.USER, text);
    }

    /** An assistant message. */
    public static ChatMessage assistant(String text) {
        return of(Role.ASSISTANT, text);
    }

    /** A text message of any role but {@link Role#TOOL}. */
    public static ChatMessage of(Role role, String text) {
        return new ChatMessage(role, List.of(ContentPart.text(text)), List.of(), null, null);
    }

    /** An assistant message asking for tool calls, with optional text. */
    public static ChatMessage assistantToolCalls(String text, List<ToolCall> calls) {
        return new ChatMessage(Role.ASSISTANT, text == null || text.isEmpty() ? List.of() : List.of(ContentPart.text(text)),
                calls, null, null);
    }

    /** A tool's result for the call {@code toolCallId}. */
    public static ChatMessage toolResult(String toolCallId, String result) {
        return new ChatMessage(Role.TOOL, List.of(ContentPart.text(result)), List.of(), toolCallId, null);
    }

    /** The text parts joined, without images; empty when there is no text. */
    public String text() {
        if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) {
            return t.text();
        }
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** Whether any content part is an image. */
    public boolean hasImages() {
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Image) {
                return true;
            }
        }
        return false;
    }
}
