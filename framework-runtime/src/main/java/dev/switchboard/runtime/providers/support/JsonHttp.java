package dev.switchboard.runtime.providers.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseListener;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plumbing JSON-over-HTTP providers share: send a JSON request through the configured
 * {@link HttpTransport}, map a non-2xx answer through the provider's {@link ErrorParser}, parse a 2xx body
 * with a {@link BodyReader} (a body that does not parse or read fails with kind
 * {@code MALFORMED_RESPONSE}), and map transport failures with {@link ProviderException#fromFailure}. A 2xx
 * stream that ends, or whose connection breaks after its first event, before the reader saw the
 * vendor's terminal event fails with kind {@code STREAM_INTERRUPTED}; a break after the terminal event
 * is ignored.
 *
 * <pre>{@code
 * JsonHttp http = new JsonHttp(config.name(), config.transport());
 * CompletableFuture<ChatResponse> answer = http.send(call, model, MyErrors::fromHttp, MyResponses::read);
 * CompletableFuture<ChatResponse> streamed = http.stream(call, model, MyErrors::fromHttp, new MyStreamReader(sink));
 * }</pre>
 *
 * <p>Returned futures never complete with anything but a {@link ProviderException} when they fail, and
 * cancelling one cancels the underlying HTTP exchange. Immutable and thread-safe.
 */
public final class JsonHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String provider;
    private final HttpTransport transport;

    /**
     * @param provider  the provider's configuration name, used in exceptions
     * @param transport the transport every request goes through
     */
    public JsonHttp(String provider, HttpTransport transport) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Maps a non-2xx answer to an exception. */
    @FunctionalInterface
    public interface ErrorParser {
        /**
         * @param result the answer
         * @param body   its body parsed as JSON, or null when it is empty or not JSON
         * @return the exception to fail with
         */
        ProviderException parse(HttpResult result, JsonNode body);
    }

    /** Reads a 2xx JSON body; any runtime exception but a {@link ProviderException} means malformed. */
    @FunctionalInterface
    public interface BodyReader<T> {
        /** Reads the parsed body. */
        T read(JsonNode body);
    }

    /**
     * Receives a 2xx stream's events (see {@link SseListener}; throwing cancels the stream) and yields the
     * stream's result when the body ends.
     */
    public interface StreamReader<T> extends SseListener {
        /** Whether the vendor's terminal event was received. */
        boolean terminated();

        /** The aggregated result, called once after the body ended with {@link #terminated()} true. */
        T result();

        /** A short description of how far the stream got, for the interruption message. */
        default String progress() {
            return "no terminal event";
        }
    }

    /** A new empty JSON object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The shared (thread-safe, never reconfigured) JSON mapper, for value conversion. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The UTF-8 bytes of a JSON tree. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** Parses JSON text. @throws IllegalArgumentException when it is empty or not JSON */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = text == null || text.isBlank() ? null : MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A body parsed as JSON, or null when it is empty or not JSON. */
    public static JsonNode parseOrNull(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Parses one stream event's data as JSON.
     *
     * @throws ProviderException of kind {@code MALFORMED_RESPONSE} when it is not JSON
     */
    public JsonNode eventData(String model, String data) {
        try {
            return parse(data);
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed(provider, model, "stream event is not JSON (" + e.getMessage() + ")", e);
        }
    }

    /** Sends {@code call} and reads its whole answer. */
    public <T> CompletableFuture<T> send(HttpCall call, String model, ErrorParser errors, BodyReader<T> reader) {
        CompletableFuture<T> out = new CompletableFuture<>();
        CompletableFuture<HttpResult> exchange = start(() -> transport.send(call));
        exchange.whenComplete((result, failure) -> guarded(out, model, () -> {
            if (failure != null) {
                out.completeExceptionally(ProviderException.fromFailure(provider, model, failure));
            } else if (!result.isSuccess()) {
                out.completeExceptionally(errors.parse(result, parseOrNull(result.body())));
            } else {
                complete(out, model, () -> readBody(result, model, reader));
            }
        }));
        return linked(out, exchange);
    }

    /** Sends {@code call} for a server-sent-event answer, feeding its events to {@code reader}. */
    public <T> CompletableFuture<T> stream(HttpCall call, String model, ErrorParser errors, StreamReader<T> reader) {
        CompletableFuture<T> out = new CompletableFuture<>();
        AtomicLong events = new AtomicLong();
        CompletableFuture<HttpResult> exchange = start(() -> transport.stream(call, event -> {
            events.incrementAndGet();
            reader.onEvent(event);
        }));
        exchange.whenComplete((result, failure) -> guarded(out, model, () -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (!(cause instanceof ProviderException) && reader.terminated()) {
                    complete(out, model, reader::result); // the connection broke after the terminal event
                } else if (cause instanceof IOException && !(cause instanceof HttpTimeoutException) && events.get() > 0) {
                    out.completeExceptionally(ProviderException.builder(provider).model(model).kind(Kind.STREAM_INTERRUPTED)
                            .message("stream from " + provider + " broke before its terminal event: " + reader.progress()
                                    + " (" + cause.getMessage() + ")").cause(cause).build());
                } else {
                    out.completeExceptionally(ProviderException.fromFailure(provider, model, cause));
                }
            } else if (!result.isSuccess()) {
                out.completeExceptionally(errors.parse(result, parseOrNull(result.body())));
            } else if (!reader.terminated()) {
                out.completeExceptionally(ProviderException.streamInterrupted(provider, model, reader.progress()));
            } else {
                complete(out, model, reader::result);
            }
        }));
        return linked(out, exchange);
    }

    private <T> T readBody(HttpResult result, String model, BodyReader<T> reader) {
        JsonNode body = parseOrNull(result.body());
        if (body == null) {
            throw ProviderException.malformed(provider, model, result.body().length == 0 ? "empty body" : "body is not JSON", null);
        }
        try {
            return reader.read(body);
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ProviderException.malformed(provider, model, describe(e), e);
        }
    }

    private <T> void complete(CompletableFuture<T> out, String model, java.util.function.Supplier<T> value) {
        try {
            out.complete(value.get());
        } catch (RuntimeException e) {
            out.completeExceptionally(e instanceof ProviderException ? e
                    : ProviderException.malformed(provider, model, describe(e), e));
        }
    }

    /** Runs a completion step; a bug in an error parser must not leave the future pending forever. */
    private void guarded(CompletableFuture<?> out, String model, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            out.completeExceptionally(ProviderException.fromFailure(provider, model, e));
        }
    }

    private static CompletableFuture<HttpResult> start(java.util.function.Supplier<CompletableFuture<HttpResult>> exchange) {
        try {
            return exchange.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> CompletableFuture<T> linked(CompletableFuture<T> out, CompletableFuture<HttpResult> exchange) {
        out.whenComplete((r, e) -> {
            if (!exchange.isDone()) {
                exchange.cancel(true);
            }
        });
        return out;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
