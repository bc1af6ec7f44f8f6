package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    /** Signals a chunk this reader leaves to the tree path; shared, without stack trace. */
    private static final Odd ODD = new Odd();

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
        try (JsonParser p = mapper.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Chunk chunk = body(p);
            return p.nextToken() == null ? chunk : null;
        } catch (IOException | Odd e) {
            return null;
        }
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
                case "usage" -> usage = usage(p, v);
                case "x_groq" -> groqUsage = member(p, v, "usage", ChunkReader::usage, null); // Groq's x_groq.usage
                case "error" -> {
                    if (v != JsonToken.VALUE_NULL) {
                        throw ODD;
                    }
                }
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

    /** A value read at the parser's current token {@code v}. */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(JsonParser p, JsonToken v) throws IOException, Odd;
    }

    /** An array item, an object whose start the parser is on, at {@code position} in its array. */
    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonParser p, int position) throws IOException, Odd;
    }

    /** An array of objects read by {@code item}; empty for null; anything else, or an item not an object, is odd. */
    private static <T> List<T> objects(JsonParser p, JsonToken v, ItemReader<T> item) throws IOException, Odd {
        if (v == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (v != JsonToken.START_ARRAY) {
            throw ODD;
        }
        List<T> out = new ArrayList<>(1);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw ODD;
            }
            out.add(item.read(p, out.size()));
        }
        return out;
    }

    /**
     * The field {@code name} of an object read by {@code read} (its last occurrence), or {@code absent} when the value
     * is not an object (skipped) or has no such field; other fields are skipped.
     */
    private static <T> T member(JsonParser p, JsonToken v, String name, ValueReader<T> read, T absent) throws IOException, Odd {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return absent;
        }
        T out = absent;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken t = p.nextToken();
            if (name.equals(p.currentName())) {
                out = read.read(p, t);
            } else {
                p.skipChildren();
            }
        }
        return out;
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
                case "finish_reason" -> {
                    if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        throw ODD;
                    }
                    finish = v == JsonToken.VALUE_NULL ? null : p.getText();
                }
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

    /** A usage object as {@link ResponseCodec#usage} reads it, or null when the value is not an object. */
    private static Usage usage(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        long prompt = 0;
        long completion = 0;
        long cached = 0;
        long cacheHits = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = count(p, t);
                case "completion_tokens" -> completion = count(p, t);
                case "prompt_cache_hit_tokens" -> cacheHits = count(p, t);
                case "prompt_tokens_details" -> cached = member(p, t, "cached_tokens", ChunkReader::count, 0L);
                default -> p.skipChildren();
            }
        }
        return new Usage(prompt, completion, cached != 0 ? cached : cacheHits);
    }

    /** A token count as {@link JsonFields#count}: a whole number, 0 when negative or not a number. */
    private static long count(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            NumberType type = p.getNumberType();
            if (type != NumberType.INT && type != NumberType.LONG) {
                throw ODD;
            }
            return Math.max(0, p.getLongValue());
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            throw ODD;
        }
        p.skipChildren();
        return 0;
    }

    private static int index(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != NumberType.INT) {
            throw ODD;
        }
        return p.getIntValue();
    }

    /** The text of a string value, or null for any other value (skipped), as {@code JsonNode.textValue()}. */
    private static String string(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static final class Odd extends Exception {
        private static final long serialVersionUID = 1L;

        Odd() {
            super("a chunk for the tree reader", null, false, false);
        }
    }
}
