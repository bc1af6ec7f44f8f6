package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.spi.ChatChunk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes the {@code chat.completion.chunk}s of one stream (its {@code id}, {@code model} and {@code created} fixed), the
 * same bytes as {@link OpenAiCodec#writeChunk}. The usual chunks of choice 0, a piece of text or the finish reason
 * alone, are copied from a head encoded once per stream, with the text escaped into it: no generator, buffer and copy
 * per event. Any other chunk (usage, tool calls, another choice, text and finish reason together, surrogate characters
 * in the text, id or model) is written by {@link OpenAiCodec#writeChunk}. {@code ChunkWriteEquivalenceTest} compares
 * the two byte for byte. Immutable and thread-safe.
 *
 * <pre>{@code
 * StreamChunkWriter w = codec.streamChunkWriter("chatcmpl-1", "gpt-4o", created);
 * byte[] json = w.write(ChatChunk.text("Hel"));
 * }</pre>
 */
public final class StreamChunkWriter {
    private static final byte[] TEXT = ascii("\"role\":\"assistant\",\"content\":\"");
    private static final byte[] TEXT_END = ascii("\"},\"logprobs\":null,\"finish_reason\":null}]}");
    private static final byte[] FINISH = ascii("},\"logprobs\":null,\"finish_reason\":\"");
    private static final byte[] FINISH_END = ascii("\"}]}");

    private final OpenAiCodec codec;
    private final String id;
    private final String model;
    private final long created;
    /** A chunk of choice 0 up to the inside of its {@code delta}; null when the id or model has surrogates. */
    private final byte[] head;

    StreamChunkWriter(OpenAiCodec codec, String id, String model, long created) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.id = id;
        this.model = model;
        this.created = created;
        this.head = plain(id) && plain(model) ? head(id, model, created) : null;
    }

    private static byte[] head(String id, String model, long created) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + (id == null ? 0 : id.length()) + (model == null ? 0 : model.length()));
        out.writeBytes(ascii("{\"id\":"));
        out.writeBytes(quoted(id));
        out.writeBytes(ascii(",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":"));
        out.writeBytes(quoted(model));
        out.writeBytes(ascii(",\"choices\":[{\"index\":0,\"delta\":{"));
        return out.toByteArray();
    }

    /** {@code chunk} as JSON: the bytes {@link OpenAiCodec#writeChunk} gives for this stream's id, model and created. */
    public byte[] write(ChatChunk chunk) {
        return switch (kind(chunk)) {
            case TEXT -> join(TEXT, JsonStringEncoder.getInstance().quoteAsUTF8(chunk.text()), TEXT_END);
            case FINISH -> join(FINISH, ascii(ResponseCodec.finishReason(chunk.finishReason())), FINISH_END);
            case OTHER -> codec.writeChunk(chunk, id, model, created);
        };
    }

    enum Kind { TEXT, FINISH, OTHER }

    /** How {@code chunk} is written: from the head (a text, or a finish reason alone), or by the codec. */
    Kind kind(ChatChunk chunk) {
        if (head == null || chunk.choiceIndex() != 0 || chunk.usage() != null || !chunk.toolCalls().isEmpty()) {
            return Kind.OTHER;
        }
        if (chunk.finishReason() == null) {
            return !chunk.text().isEmpty() && plain(chunk.text()) ? Kind.TEXT : Kind.OTHER;
        }
        return chunk.text().isEmpty() ? Kind.FINISH : Kind.OTHER;
    }

    private byte[] join(byte[] a, byte[] b, byte[] c) {
        byte[] out = Arrays.copyOf(head, head.length + a.length + b.length + c.length);
        System.arraycopy(a, 0, out, head.length, a.length);
        System.arraycopy(b, 0, out, head.length + a.length, b.length);
        System.arraycopy(c, 0, out, head.length + a.length + b.length, c.length);
        return out;
    }

    /** A JSON string literal, or {@code null}. */
    private static byte[] quoted(String s) {
        if (s == null) {
            return ascii("null");
        }
        byte[] text = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[text.length + 2];
        out[0] = '"';
        System.arraycopy(text, 0, out, 1, text.length);
        out[out.length - 1] = '"';
        return out;
    }

    /** Whether {@code s} (null counts) has no surrogate characters: their handling is left to the generator, the reference. */
    private static boolean plain(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
