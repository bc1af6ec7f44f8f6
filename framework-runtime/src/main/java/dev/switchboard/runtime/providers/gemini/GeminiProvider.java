package dev.switchboard.runtime.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.providers.support.JsonHttp;
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
import dev.switchboard.spi.http.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A {@link ChatProvider} for the Gemini Developer API (generativelanguage.googleapis.com) over the
 * configuration's {@link HttpTransport}: {@code POST {base_url}/{api_version}/models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse} and {@code :batchEmbedContents}, authenticated with the
 * {@code x-goog-api-key} header (never a key in the URL). Created by {@link GeminiProviderFactory}.
 *
 * <pre>{@code
 * providers:
 *   gemini: { type: gemini, api_key: ${GEMINI_API_KEY} }           # api_version: v1beta by default
 * }</pre>
 *
 * <p>Requests Gemini cannot take (unknown {@code extra} parameters, more than 5 stop sequences, tool results
 * that name no earlier call…) fail with kind {@code UNSUPPORTED} before any network I/O. Follows the
 * {@link ChatProvider} contract: never throws, fails futures with {@link ProviderException}, and cancelling
 * a future aborts its request. Immutable and thread-safe.
 */
public final class GeminiProvider implements ChatProvider {
    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    /** The default {@code api_version}. */
    public static final String DEFAULT_API_VERSION = "v1beta";
    private static final Pattern API_VERSION = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern MODEL = Pattern.compile("((models|tunedModels)/)?[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String name;
    private final JsonHttp http;
    private final String root;
    private final String apiKey;
    private final Duration timeout;

    /** @throws InvalidProviderConfigException naming the key when the entry is invalid */
    public GeminiProvider(ProviderConfig config) {
        this.name = config.name();
        String base = config.baseUrlOr(DEFAULT_BASE_URL);
        if (config.apiKey().isEmpty()) {
            throw new InvalidProviderConfigException("api_key", "api_key is required for type 'gemini'");
        }
        String version = config.stringOption("api_version", DEFAULT_API_VERSION);
        if (!API_VERSION.matcher(version).matches()) {
            throw new InvalidProviderConfigException("api_version", "api_version must be a version name such as v1beta, was '" + version + "'");
        }
        this.root = base + "/" + version + "/";
        this.apiKey = config.apiKey().reveal();
        this.http = new JsonHttp(name, config.transport());
        this.timeout = config.requestTimeout();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        String model = request.model();
        try {
            return http.send(chatCall(request, false), model, (result, body) -> GeminiErrors.fromHttp(name, model, result, body),
                    body -> GeminiResponseReader.read(success(body, model), model));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, model, t));
        }
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        String model = request.model();
        try {
            return http.stream(chatCall(request, true), model, (result, body) -> GeminiErrors.fromHttp(name, model, result, body),
                    new GeminiStream(http, name, model, sink));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, model, t));
        }
    }

    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        String model = request.model();
        try {
            String path = modelPath(model);
            HttpCall call = post(URI.create(root + path + ":batchEmbedContents"),
                    JsonHttp.bytes(GeminiEmbeddings.write(request, path)), "application/json");
            return http.send(call, model, (result, body) -> GeminiErrors.fromHttp(name, model, result, body),
                    body -> GeminiEmbeddings.read(success(body, model), request));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, model, t));
        }
    }

    private HttpCall chatCall(ChatRequest request, boolean stream) {
        capabilities().check(name, request, stream);
        String model = modelPath(request.model());
        byte[] body = JsonHttp.bytes(GeminiRequestWriter.write(name, request));
        URI uri = URI.create(root + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
        return post(uri, body, stream ? "text/event-stream" : "application/json");
    }

    /** {@code models/<model>}; names already qualified ({@code models/…}, {@code tunedModels/…}) are kept. */
    private String modelPath(String model) {
        if (!MODEL.matcher(model).matches()) {
            throw ProviderException.unsupported(name, model, "the model name '" + model + "'");
        }
        return model.contains("/") ? model : "models/" + model;
    }

    private HttpCall post(URI uri, byte[] body, String accept) {
        return HttpCall.post(uri, body).timeout(timeout).header("Accept", accept).header("x-goog-api-key", apiKey).build();
    }

    /** A 2xx body. @throws ProviderException when it is an error object */
    private JsonNode success(JsonNode body, String model) {
        if (GeminiErrors.isError(body)) {
            throw GeminiErrors.fromBody(name, model, body);
        }
        return body;
    }

    @Override
    public String toString() {
        return "GeminiProvider{" + name + ", " + root + "}";
    }
}
