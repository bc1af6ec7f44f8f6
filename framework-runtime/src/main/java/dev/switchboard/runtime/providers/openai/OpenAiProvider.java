package dev.switchboard.runtime.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.InvalidProviderConfigException;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link ChatProvider} for OpenAI and OpenAI-compatible endpoints, over the configuration's
 * {@link HttpTransport}: {@code POST {base_url}/chat/completions} (plain or SSE stream) and
 * {@code POST {base_url}/embeddings}. Created by {@link OpenAiFamilyFactory}.
 *
 * <pre>{@code
 * providers:
 *   openai: { type: openai, api_key: ${OPENAI_API_KEY}, organization: org-123, project: proj_456,
 *             headers: { X-Team: search }, max_tokens_param: max_completion_tokens }
 * }</pre>
 *
 * <p>Options: {@code organization} and {@code project} (sent as {@code OpenAI-Organization} and
 * {@code OpenAI-Project}), {@code headers} (static extra headers), {@code max_tokens_param}
 * ({@code max_tokens}, the default, or {@code max_completion_tokens} for reasoning models). The key goes in
 * {@code Authorization: Bearer}, omitted when empty. Requests are checked against the preset
 * ({@link OpenAiPreset#check}) before any network I/O. Follows the {@link ChatProvider} contract: never
 * throws, fails futures with {@link ProviderException}, and cancelling a future aborts its request.
 * Immutable and thread-safe.
 */
public final class OpenAiProvider implements ChatProvider {
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length",
            "expect", "host", "upgrade", "content-type");
    private final String name;
    private final OpenAiPreset preset;
    private final OpenAiCodec codec = OpenAiCodec.shared();
    private final HttpTransport transport;
    private final URI chatUri;
    private final URI embeddingsUri;
    private final Map<String, String> headers;
    private final Map<String, String> renames;
    private final Duration timeout;

    /**
     * Validates the entry and prepares its endpoints and headers.
     *
     * @param config the provider entry; {@code base_url} defaults to the preset's
     * @param preset the vendor's defaults and limits
     * @throws InvalidProviderConfigException naming the key when the entry is invalid
     */
    public OpenAiProvider(ProviderConfig config, OpenAiPreset preset) {
        this.name = config.name();
        this.preset = preset;
        String base = config.baseUrlOr(preset.defaultBaseUrl());
        if (preset.keyRequired() && config.apiKey().isEmpty()) {
            throw new InvalidProviderConfigException("api_key", "api_key is required for type '" + preset.type() + "'");
        }
        this.transport = config.transport();
        this.chatUri = URI.create(base + "/chat/completions");
        this.embeddingsUri = URI.create(base + "/embeddings");
        this.headers = headers(config);
        this.renames = renames(config, preset);
        this.timeout = config.requestTimeout();
    }

    private static Map<String, String> headers(ProviderConfig config) {
        Map<String, String> h = new LinkedHashMap<>();
        Object extra = config.options().get("headers");
        if (extra != null && !(extra instanceof Map)) {
            throw new InvalidProviderConfigException("headers", "headers must be a map of header names to values");
        }
        if (extra != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) extra).entrySet()) {
                String key = String.valueOf(e.getKey());
                if (e.getValue() == null || e.getValue() instanceof Map || e.getValue() instanceof Iterable
                        || RESTRICTED_HEADERS.contains(key.toLowerCase(Locale.ROOT)) || key.isBlank()) {
                    throw new InvalidProviderConfigException("headers", "header '" + key + "' cannot be set or has no text value");
                }
                h.put(key, e.getValue().toString());
            }
        }
        putIfSet(h, "OpenAI-Organization", config.stringOption("organization", null));
        putIfSet(h, "OpenAI-Project", config.stringOption("project", null));
        if (!config.apiKey().isEmpty()) {
            h.put("Authorization", "Bearer " + config.apiKey().reveal());
        }
        return Collections.unmodifiableMap(h);
    }

    private static void putIfSet(Map<String, String> h, String header, String value) {
        if (value != null && !value.isBlank()) {
            h.put(header, value);
        }
    }

    private static Map<String, String> renames(ProviderConfig config, OpenAiPreset preset) {
        Map<String, String> r = new LinkedHashMap<>(preset.renamedParameters());
        String maxTokens = config.stringOption("max_tokens_param", "max_tokens");
        if ("max_completion_tokens".equals(maxTokens)) {
            r.put("max_tokens", "max_completion_tokens");
        } else if (!"max_tokens".equals(maxTokens)) {
            throw new InvalidProviderConfigException("max_tokens_param",
                    "max_tokens_param must be max_tokens or max_completion_tokens, was '" + maxTokens + "'");
        }
        return Map.copyOf(r);
    }

    @Override
    public Capabilities capabilities() {
        return preset.capabilities();
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        CompletableFuture<ChatResponse> out = new CompletableFuture<>();
        try {
            preset.check(name, request, false);
            HttpCall call = post(chatUri, chatBody(request, false), "application/json");
            relay(out, transport.send(call), result -> readChat(result, request.model()), failure(request.model()));
        } catch (Throwable t) {
            out.completeExceptionally(ProviderException.fromFailure(name, request.model(), t));
        }
        return out;
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        CompletableFuture<ChatResponse> out = new CompletableFuture<>();
        try {
            preset.check(name, request, true);
            ChatRequest sent = preset.streamUsageOption() && !request.includeUsage()
                    ? request.toBuilder().includeUsage(true).build() : request;
            HttpCall call = post(chatUri, chatBody(sent, true), "text/event-stream");
            OpenAiStream stream = new OpenAiStream(codec, name, request.model(), sink, out);
            relay(out, transport.stream(call, stream), stream::finish, stream::failure);
        } catch (Throwable t) {
            out.completeExceptionally(ProviderException.fromFailure(name, request.model(), t));
        }
        return out;
    }

    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        CompletableFuture<EmbeddingResponse> out = new CompletableFuture<>();
        try {
            if (!preset.capabilities().embeddings()) {
                throw ProviderException.unsupported(name, request.model(), "embeddings");
            }
            HttpCall call = post(embeddingsUri, codec.writeEmbeddingRequest(request), "application/json");
            relay(out, transport.send(call), result -> readEmbeddings(result, request.model()), failure(request.model()));
        } catch (Throwable t) {
            out.completeExceptionally(ProviderException.fromFailure(name, request.model(), t));
        }
        return out;
    }

    private byte[] chatBody(ChatRequest request, boolean stream) {
        ObjectNode tree = codec.requestTree(request, stream);
        renames.forEach((from, to) -> {
            JsonNode value = tree.remove(from);
            if (value != null) {
                tree.set(to, value);
            }
        });
        return codec.toBytes(tree);
    }

    private HttpCall post(URI uri, byte[] body, String accept) {
        HttpCall.Builder b = HttpCall.post(uri, body).timeout(timeout).header("Accept", accept);
        headers.forEach(b::header);
        return b.build();
    }

    private Function<Throwable, ProviderException> failure(String model) {
        return t -> ProviderException.fromFailure(name, model, t);
    }

    /**
     * Completes {@code out} from the exchange, the one path shared by plain calls, streams and embeddings;
     * completing {@code out} first (cancelling it) aborts the exchange.
     */
    private <T> void relay(CompletableFuture<T> out, CompletableFuture<HttpResult> exchange,
                           Function<HttpResult, T> reader, Function<Throwable, ProviderException> failure) {
        exchange.whenComplete((result, error) -> {
            try {
                if (error != null) {
                    throw error;
                }
                out.complete(reader.apply(result));
            } catch (Throwable t) {
                out.completeExceptionally(failure.apply(t));
            }
        });
        out.whenComplete((r, e) -> {
            if (!exchange.isDone()) {
                exchange.cancel(true);
            }
        });
    }

    private ChatResponse readChat(HttpResult result, String model) {
        ChatResponse fast = result.isSuccess() ? codec.readWellFormedResponse(result.body()) : null;
        if (fast != null) {
            return withModel(fast, model);
        }
        JsonNode body = successBody(result, model);
        try {
            return withModel(codec.readResponse(body), model);
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(name, model, e.getMessage(), e);
        }
    }

    /** {@code r}, or {@code r} answered by {@code model} when the answer names no model. */
    private static ChatResponse withModel(ChatResponse r, String model) {
        return r.model().isEmpty() ? new ChatResponse(r.id(), model, r.choices(), r.usage()) : r;
    }

    private EmbeddingResponse readEmbeddings(HttpResult result, String model) {
        JsonNode body = successBody(result, model);
        try {
            EmbeddingResponse r = codec.readEmbeddingResponse(body);
            return r.model().isEmpty() ? new EmbeddingResponse(model, r.vectors(), r.usage()) : r;
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(name, model, e.getMessage(), e);
        }
    }

    /** The parsed body of a 2xx answer. @throws ProviderException for an error status, an error body, or no JSON */
    private JsonNode successBody(HttpResult result, String model) {
        if (!result.isSuccess()) {
            throw codec.readError(name, model, result);
        }
        JsonNode body;
        try {
            body = codec.parse(result.body());
        } catch (OpenAiFormatException e) {
            throw ProviderException.malformed(name, model, "the body is " + e.problem(), e);
        }
        if (codec.isError(body)) {
            throw codec.readErrorBody(name, model, body);
        }
        return body;
    }

    @Override
    public String toString() {
        return "OpenAiProvider{" + name + ", type=" + preset.type() + ", " + chatUri + "}";
    }
}
