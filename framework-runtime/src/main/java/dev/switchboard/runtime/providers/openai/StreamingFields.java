package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The field readers shared by the streaming-parser fast paths ({@link ChunkReader}, {@link AnswerReader}): each reads
 * a value as the tree readers ({@link JsonFields}, {@link ResponseCodec}) do, or throws {@link #ODD} for anything the
 * tree path reads differently or rejects, so that the caller can leave the whole text to the tree path. Stateless.
 */
final class StreamingFields {
    /** Signals a text the fast path leaves to the tree path; shared, without stack trace. */
    static final Odd ODD = new Odd();

    private StreamingFields() {
    }

    /** Reads an object's members, the parser on its start. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(JsonParser p) throws IOException, Odd;
    }

    /**
     * The top-level object of {@code json} read by {@code body}, or null when the text is not one JSON object (nothing
     * may follow it) or {@code body} gives up. An exception {@code body} meets (a value the result's records reject,
     * say) gives null too: the tree path then reads the text again and fails it as it always did.
     */
    static <T> T readObject(ObjectMapper mapper, byte[] json, BodyReader<T> body) {
        if (json == null || json.length == 0) {
            return null;
        }
        try (JsonParser p = mapper.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            T out = body.read(p);
            return p.nextToken() == null ? out : null;
        } catch (IOException | Odd | RuntimeException e) {
            return null;
        }
    }

    /** An {@code error} member: only null is read here, an error object is the tree path's to report. */
    static void nullError(JsonToken v) throws Odd {
        if (v != JsonToken.VALUE_NULL) {
            throw ODD;
        }
    }

    /** A string, or null for JSON null; anything else is left to the tree reader (which rejects it). */
    static String nullableString(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw ODD;
    }

    /** A value read at the parser's current token {@code v}. */
    @FunctionalInterface
    interface ValueReader<T> {
        T read(JsonParser p, JsonToken v) throws IOException, Odd;
    }

    /** An array item, an object whose start the parser is on, at {@code position} in its array. */
    @FunctionalInterface
    interface ItemReader<T> {
        T read(JsonParser p, int position) throws IOException, Odd;
    }

    /** An array of objects read by {@code item}; empty for null; anything else, or an item not an object, is odd. */
    static <T> List<T> objects(JsonParser p, JsonToken v, ItemReader<T> item) throws IOException, Odd {
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
    static <T> T member(JsonParser p, JsonToken v, String name, ValueReader<T> read, T absent) throws IOException, Odd {
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

    /** A usage object as {@link ResponseCodec#usage} reads it, or null when the value is not an object. */
    static Usage usage(JsonParser p, JsonToken v) throws IOException, Odd {
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
                case "prompt_tokens_details" -> cached = member(p, t, "cached_tokens", StreamingFields::count, 0L);
                default -> p.skipChildren();
            }
        }
        return new Usage(prompt, completion, cached != 0 ? cached : cacheHits);
    }

    /** A token count as {@link JsonFields#count}: a whole number, 0 when negative or not a number. */
    static long count(JsonParser p, JsonToken v) throws IOException, Odd {
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

    static int index(JsonParser p, JsonToken v) throws IOException, Odd {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != NumberType.INT) {
            throw ODD;
        }
        return p.getIntValue();
    }

    /** The text of a string value, or null for any other value (skipped), as {@code JsonNode.textValue()}. */
    static String string(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** The signal: a text for the tree path. */
    static final class Odd extends Exception {
        private static final long serialVersionUID = 1L;

        Odd() {
            super("a text for the tree reader", null, false, false);
        }
    }
}
