package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.StreamingFields.ODD;
import static dev.switchboard.runtime.providers.openai.StreamingFields.index;
import static dev.switchboard.runtime.providers.openai.StreamingFields.member;
import static dev.switchboard.runtime.providers.openai.StreamingFields.objects;
import static dev.switchboard.runtime.providers.openai.StreamingFields.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.openai.StreamingFields.Odd;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a well-formed {@code chat.completion.chunk} with Jackson's streaming parser, without building a tree:
 * the per-event path of OpenAI-compatible streams. It gives up (returns null) on anything else, so that the
 * caller takes the tree path ({@link OpenAiCodec#parse(String)}, {@link OpenAiCodec#isError}, {@link ChunkCodec#read})
 * and odd events fail, or are read, exactly as before: text that is not JSON, anything but an object, an
 * {@code {"error": …}} object, trailing content, and fields of a type the tree reader rejects or converts
 * ({@code choices}, {@code tool_calls} not arrays or their items not objects, {@code finish_reason} not a string,
 * an {@code index} that is not an int, {@code arguments} that are not a string, a token count beyond
 * {@code long} or with a fraction). For the chunks it reads, the chunks equal {@link ChunkCodec#read}'s for the
 * same text, a repeated field counting by its last occurrence as in a tree; unknown fields are skipped.
 * Stateless and thread-safe.
 */
final class ChunkReader {
    private ChunkReader() {
    }

    /**
     * A chunk's top-level {@code id} and {@code model} (null when absent or not strings) and its chunks as
     * {@link ChunkCodec#read} gives them.
     */
    record Chunk(String id, String model, List<ChatChunk> chunks) {
    }

    private record Delta(String text, List<ToolCallDelta> toolCalls) {
        static final Delta NONE = new Delta("", List.of());
    }

    /**
     * The chunk {@code json} holds, or null when it is anything but a well-formed, non-error chunk object. Parses
     * the text's UTF-8 bytes, as {@link OpenAiCodec#parse(String)} does, so that both paths read the same input
     * (Jackson's byte parser is also faster than its char parser for such events).
     */
    static Chunk read(ObjectMapper mapper, String json) {
        return StreamingFields.readObject(mapper, json.getBytes(StandardCharsets.UTF_8), ChunkReader::body);
    }

    private static Chunk body(JsonParser p) throws IOException, Odd {
        String id = null;
        String model = null;
        List<ChatChunk> choices = List.of();
        Usage usage = null;
        Usage groqUsage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v);
                case "model" -> model = string(p, v);
                case "choices" -> choices = objects(p, v, ChunkReader::choice);
                case "usage" -> usage = StreamingFields.usage(p, v);
                case "x_groq" -> groqUsage = member(p, v, "usage", StreamingFields::usage, null); // Groq's x_groq.usage
                case "error" -> StreamingFields.nullError(v);
                default -> p.skipChildren();
            }
        }
        Usage u = usage != null ? usage : groqUsage;
        if (choices.isEmpty()) {
            return new Chunk(id, model, u == null ? List.of() : List.of(ChatChunk.usage(u)));
        }
        if (u != null) {
            int last = choices.size() - 1;
            ChatChunk c = choices.get(last);
            choices.set(last, new ChatChunk(c.choiceIndex(), c.text(), c.toolCalls(), c.finishReason(), u));
        }
        return new Chunk(id, model, choices);
    }

    private static ChatChunk choice(JsonParser p, int position) throws IOException, Odd {
        int index = position;
        Delta delta = Delta.NONE;
        String finish = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "index" -> index = index(p, v);
                case "delta" -> delta = delta(p, v);
                case "finish_reason" -> finish = StreamingFields.nullableString(p, v);
                default -> p.skipChildren();
            }
        }
        return new ChatChunk(index, delta.text(), delta.toolCalls(), FinishReason.fromOpenAi(finish), null);
    }

    /** {@code content} when a string, else {@code refusal} when a string, else empty text, as the tree reader. */
    private static Delta delta(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Delta.NONE;
        }
        String content = null;
        String refusal = null;
        List<ToolCallDelta> toolCalls = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "content" -> content = string(p, t);
                case "refusal" -> refusal = string(p, t);
                case "tool_calls" -> toolCalls = objects(p, t, ChunkReader::toolCall);
                default -> p.skipChildren();
            }
        }
        return new Delta(content != null ? content : refusal != null ? refusal : "", toolCalls);
    }

    /** A {@code function} that is not an object has neither name nor arguments, as in the tree reader. */
    private static ToolCallDelta toolCall(JsonParser p, int position) throws IOException, Odd {
        int index = position;
        String id = null;
        String name = null;
        String arguments = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "index" -> index = index(p, v);
                case "id" -> id = string(p, v);
                case "function" -> {
                    name = null;
                    arguments = "";
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                    } else {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken t = p.nextToken();
                            switch (f) {
                                case "name" -> name = string(p, t);
                                case "arguments" -> arguments = arguments(p, t);
                                default -> p.skipChildren();
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new ToolCallDelta(index, id, name, arguments);
    }

    /** A string, or "" for null; arguments sent as JSON values are left to the tree reader (it writes them out as text). */
    private static String arguments(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return "";
        }
        throw ODD;
    }

}
