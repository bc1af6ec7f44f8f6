package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Both directions of the OpenAI Chat Completions and Embeddings wire format: a provider writes requests
 * and reads answers; the gateway reads requests and writes answers. Knows nothing of URLs or
 * authentication, so every OpenAI-compatible endpoint (Azure OpenAI included) can share it.
 *
 * <pre>{@code
 * OpenAiCodec codec = OpenAiCodec.shared();
 * byte[] body = codec.writeRequest(request, false);                 // provider side
 * ChatResponse answer = codec.readResponse(codec.parse(httpBody));
 *
 * ChatRequest incoming = codec.readRequest(codec.parse(clientBody)); // gateway side
 * byte[] out = codec.writeResponse(answer, "chatcmpl-123", Instant.now().getEpochSecond());
 * }</pre>
 *
 * <p>Reading methods throw {@link OpenAiFormatException} naming the JSON path of the first invalid field;
 * unknown fields are ignored. Request parameters without a typed accessor travel in
 * {@link ChatRequest#extra()}: written as given, and read for the documented OpenAI parameters
 * ({@code logprobs}, {@code presence_penalty}, {@code user}, {@code logit_bias}…). Works on JSON trees, without
 * reflection-based data binding, except for stream chunks and plain answers (the gateway's per-event and per-call
 * paths), which are read and written with Jackson's streaming parser and generator; answers and chunks the streaming
 * readers do not take (errors, anything odd) are read as trees. Immutable and thread-safe.
 */
public final class OpenAiCodec {
    private static final OpenAiCodec SHARED = new OpenAiCodec(new ObjectMapper());
    private final ObjectMapper mapper;

    /** A codec with its own JSON mapper; {@link #shared()} serves as well. */
    public OpenAiCodec() {
        this(new ObjectMapper());
    }

    private OpenAiCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The shared instance. */
    public static OpenAiCodec shared() {
        return SHARED;
    }

    /** Parses a JSON body. @throws OpenAiFormatException when it is empty or not JSON */
    public JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new OpenAiFormatException("", "the body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OpenAiFormatException("", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON text, for example an SSE event's data. @throws OpenAiFormatException when it is not JSON */
    public JsonNode parse(String json) {
        return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Serializes a tree. */
    public byte[] toBytes(JsonNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    // ---- chat requests

    /** A request as a mutable tree, for callers that adapt it to a dialect before sending. */
    public ObjectNode requestTree(ChatRequest request, boolean stream) {
        return RequestWriter.write(request, stream);
    }

    /** A request body; {@code stream} adds {@code "stream": true} and, when asked, {@code stream_options.include_usage}. */
    public byte[] writeRequest(ChatRequest request, boolean stream) {
        return toBytes(requestTree(request, stream));
    }

    /** Reads a request body. @throws OpenAiFormatException naming the invalid field */
    public ChatRequest readRequest(JsonNode body) {
        return RequestReader.read(body);
    }

    /** Whether a request body asks for a stream. @throws OpenAiFormatException when {@code stream} is not a boolean */
    public boolean readStream(JsonNode body) {
        return RequestReader.stream(body);
    }

    // ---- chat answers

    /** Reads a {@code chat.completion}. @throws OpenAiFormatException when it does not follow the format */
    public ChatResponse readResponse(JsonNode body) {
        return ResponseCodec.read(body);
    }

    /** Writes a {@code chat.completion}; finish reasons OpenAI does not define are written as {@code stop}. */
    public byte[] writeResponse(ChatResponse response, String id, long created) {
        return generate("an answer", g -> ResponseCodec.write(g, response, id, created));
    }

    /**
     * Reads a {@code chat.completion.chunk}: the delta of its first choice with the chunk's usage, or a
     * usage chunk when {@code choices} is empty. Use {@link #readChunks(JsonNode)} for several choices.
     */
    public ChatChunk readChunk(JsonNode body) {
        List<ChatChunk> chunks = readChunks(body);
        if (chunks.isEmpty()) {
            return ChatChunk.text("");
        }
        ChatChunk first = chunks.get(0);
        ChatChunk last = chunks.get(chunks.size() - 1);
        return chunks.size() == 1 || last.usage() == null ? first
                : new ChatChunk(first.choiceIndex(), first.text(), first.toolCalls(), first.finishReason(), last.usage());
    }

    /** Reads a {@code chat.completion.chunk} as one chunk per choice delta (usage on the last), possibly none. */
    public List<ChatChunk> readChunks(JsonNode body) {
        return ChunkCodec.read(body);
    }

    /**
     * Reads a {@code chat.completion.chunk} from its JSON text, for example an SSE event's data: the same chunks,
     * and the same exceptions, as {@code readChunks(parse(json))}, but a well-formed chunk is read with a
     * streaming parser, without building a tree.
     *
     * @throws OpenAiFormatException when the text is not JSON or does not follow the format
     */
    public List<ChatChunk> readChunks(String json) {
        ChunkReader.Chunk chunk = readWellFormedChunk(json);
        return chunk != null ? chunk.chunks() : readChunks(parse(json));
    }

    /**
     * A well-formed chunk read with a streaming parser, or null for anything else (not JSON, an error object, a
     * field of an unexpected type…): read those with {@link #parse(String)}, {@link #isError} and
     * {@link #readChunks(JsonNode)}, which report them as before.
     */
    ChunkReader.Chunk readWellFormedChunk(String json) {
        return ChunkReader.read(mapper, json);
    }

    /**
     * A well-formed, plain {@code chat.completion} answer read with the streaming parser, without a tree, or null for
     * anything else (an error object, content parts, a tool call that is not a plain function call, a field of an
     * unexpected type…): read those with
     * {@link #parse(byte[])}, {@link #isError} and {@link #readResponse}, which report them as before.
     */
    public ChatResponse readWellFormedResponse(byte[] body) {
        return AnswerReader.read(mapper, body);
    }

    /**
     * Writes a {@code chat.completion.chunk}; a chunk with only usage gets an empty {@code choices}. Written
     * with a generator into a buffer from Jackson's per-thread recycler, without a tree.
     */
    public byte[] writeChunk(ChatChunk chunk, String id, String model, long created) {
        return generate("a chunk", g -> ChunkCodec.write(g, chunk, id, model, created));
    }

    /**
     * A writer of one stream's chunks, the same bytes as {@link #writeChunk} with this {@code id}, {@code model} and
     * {@code created}, and cheaper per text chunk (see {@link StreamChunkWriter}).
     */
    public StreamChunkWriter streamChunkWriter(String id, String model, long created) {
        return new StreamChunkWriter(this, id, model, created);
    }

    /** Writes with a generator on the factory's recycled buffers. */
    @FunctionalInterface
    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] generate(String what, Writing writing) {
        BufferRecycler recycler = mapper.getFactory()._getBufferRecycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
                writing.write(g);
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + what, e);
        } finally {
            recycler.releaseToPool();
        }
    }

    // ---- embeddings

    /** An embeddings request body (input always as an array). */
    public byte[] writeEmbeddingRequest(EmbeddingRequest request) {
        return toBytes(EmbeddingCodec.writeRequest(request));
    }

    /** Reads an embeddings request (string or string-array input). @throws OpenAiFormatException naming the invalid field */
    public EmbeddingRequest readEmbeddingRequest(JsonNode body) {
        return EmbeddingCodec.readRequest(body);
    }

    /** Reads an embeddings answer (float arrays or base64). @throws OpenAiFormatException when it does not follow the format */
    public EmbeddingResponse readEmbeddingResponse(JsonNode body) {
        return EmbeddingCodec.readResponse(body);
    }

    /** Writes an embeddings answer, vectors as float arrays or, when {@code base64}, little-endian float32 base64. */
    public byte[] writeEmbeddingResponse(EmbeddingResponse response, boolean base64) {
        return toBytes(EmbeddingCodec.writeResponse(response, base64));
    }

    // ---- errors

    /** Whether a parsed body is an error object ({@code {"error": …}}), as sent inside a stream. */
    public boolean isError(JsonNode body) {
        return ErrorCodec.isError(body);
    }

    /**
     * The failure a non-2xx answer reports: status, {@code errorCode} = the error's {@code code} or else its
     * {@code type}, its message, {@code Retry-After}/{@code retry-after-ms}, retryable by status (except
     * {@code insufficient_quota}). Bodies that are not JSON are quoted, shortened.
     */
    public ProviderException readError(String provider, String model, HttpResult result) {
        JsonNode body;
        try {
            body = parse(result.body());
        } catch (RuntimeException notJson) {
            body = null;
        }
        return ErrorCodec.fromHttp(provider, model, result, body);
    }

    /**
     * The failure an error object sent with a 2xx status reports (inside a stream, or as the whole body):
     * a numeric {@code code} in 400..599 counts as that HTTP status; otherwise kind {@code OTHER}, retryable
     * when its type or code names a server, overload, rate or timeout problem.
     */
    public ProviderException readErrorBody(String provider, String model, JsonNode body) {
        return ErrorCodec.fromBody(provider, model, body);
    }

    /** An error body {@code {"error":{"message","type","param","code"}}}; null fields are written as null. */
    public byte[] writeError(String message, String type, String param, String code) {
        return toBytes(ErrorCodec.write(message, type, param, code));
    }
}
