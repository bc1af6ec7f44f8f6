package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.StreamingFields.ODD;
import static dev.switchboard.runtime.providers.openai.StreamingFields.objects;
import static dev.switchboard.runtime.providers.openai.StreamingFields.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.openai.StreamingFields.Odd;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import java.io.IOException;
import java.util.List;

/**
 * Reads a well-formed, plain {@code chat.completion} answer with Jackson's streaming parser, without building a
 * tree: the per-call path of OpenAI-compatible chat calls. It gives up (returns null) on anything else, so that the
 * caller takes the tree path ({@link OpenAiCodec#parse(byte[])}, {@link OpenAiCodec#isError},
 * {@link ResponseCodec#read}) and odd answers fail, or are read, exactly as before: text that is not JSON, anything
 * but an object, an {@code {"error": …}} object, trailing content, no or no non-empty {@code choices}, a choice or
 * message that is not an object, an {@code index} that is not a non-negative int, content that is not a string
 * (content parts), a tool call that is not a plain function call (an object whose {@code id}, {@code function.name}
 * are non-blank strings, {@code type} {@code "function"} or null, {@code function.arguments} a string or null), a
 * {@code finish_reason} or {@code model} that is not a string, token counts with a fraction or beyond {@code long}.
 * For the answers it reads, the response equals {@link ResponseCodec#read}'s for the same text, a repeated field
 * counting by its last occurrence as in a tree; unknown fields are skipped. Stateless and thread-safe.
 */
final class AnswerReader {
    private AnswerReader() {
    }

    /** The answer {@code body} holds, or null when it is anything but a well-formed, plain, non-error chat completion. */
    static ChatResponse read(ObjectMapper mapper, byte[] body) {
        return StreamingFields.readObject(mapper, body, AnswerReader::completion);
    }

    private static ChatResponse completion(JsonParser p) throws IOException, Odd {
        String id = null;
        String model = "";
        List<Choice> choices = List.of();
        Usage usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v);
                case "model" -> model = model(p, v);
                case "choices" -> choices = objects(p, v, AnswerReader::choice);
                case "usage" -> usage = StreamingFields.usage(p, v);
                case "error" -> StreamingFields.nullError(v);
                default -> p.skipChildren();
            }
        }
        if (choices.isEmpty()) {
            throw ODD;
        }
        return new ChatResponse(id, model, choices, usage == null ? Usage.NONE : usage);
    }

    /** A string; anything else, null included, is left to the tree reader (which reads it as text). */
    private static String model(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        throw ODD;
    }

    private static Choice choice(JsonParser p, int position) throws IOException, Odd {
        int index = position;
        ChatMessage message = null;
        String finish = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "index" -> index = index(p, v);
                case "message" -> message = message(p, v);
                case "finish_reason" -> finish = StreamingFields.nullableString(p, v);
                default -> p.skipChildren();
            }
        }
        if (message == null) {
            throw ODD;
        }
        return new Choice(index, message, FinishReason.fromOpenAi(finish));
    }

    /** An index as {@code asInt}: a non-negative int; anything else is left to the tree reader. */
    private static int index(JsonParser p, JsonToken v) throws IOException, Odd {
        int i = StreamingFields.index(p, v);
        if (i < 0) {
            throw ODD;
        }
        return i;
    }

    /** An assistant message as {@link MessageReader#readAssistant} reads it, content a string or absent. */
    private static ChatMessage message(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.START_OBJECT) {
            throw ODD;
        }
        String content = null;
        String refusal = null;
        List<ToolCall> toolCalls = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "content" -> content = StreamingFields.nullableString(p, t);
                case "refusal" -> refusal = string(p, t);
                case "tool_calls" -> toolCalls = objects(p, t, AnswerReader::toolCall);
                default -> p.skipChildren();
            }
        }
        List<ContentPart> parts = content != null ? List.of(ContentPart.text(content))
                : refusal != null && !refusal.isEmpty() ? List.of(ContentPart.text(refusal)) : List.of();
        return new ChatMessage(Role.ASSISTANT, parts, toolCalls, null, null);
    }

    /**
     * A plain function call as {@link MessageReader#toolCalls} reads it; whatever that reader would reject, or write
     * out as text (arguments sent as a JSON value), is left to it.
     */
    private static ToolCall toolCall(JsonParser p, int position) throws IOException, Odd {
        String id = null;
        Function function = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id" -> id = StreamingFields.nullableString(p, v);
                case "type" -> functionType(p, v);
                case "function" -> function = function(p, v);
                default -> p.skipChildren();
            }
        }
        if (function == null || id == null || id.isBlank() || function.name() == null || function.name().isBlank()) {
            throw ODD;
        }
        return new ToolCall(id, function.name(), function.arguments());
    }

    /** A tool call's {@code function} object: its name and arguments, each a string or null. */
    private record Function(String name, String arguments) {
    }

    private static Function function(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.START_OBJECT) {
            throw ODD;
        }
        String name = null;
        String arguments = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = StreamingFields.nullableString(p, t);
                case "arguments" -> arguments = StreamingFields.nullableString(p, t);
                default -> p.skipChildren();
            }
        }
        return new Function(name, arguments);
    }

    /** {@code "function"} or null; any other type is the tree reader's to reject. */
    private static void functionType(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.VALUE_NULL && (v != JsonToken.VALUE_STRING || !"function".equals(p.getText()))) {
            throw ODD;
        }
    }
}
