package dev.switchboard.runtime.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
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
import dev.switchboard.spi.http.HttpResult;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ChatProvider} for Azure OpenAI, speaking the OpenAI wire format through {@link OpenAiCodec}. The
 * model of a reference such as {@code azure-eu/gpt-4o} is the <em>deployment name</em>:
 * {@code POST {base_url}/openai/deployments/{deployment}/chat/completions?api-version={api_version}} (and
 * {@code /embeddings}), or with {@code api_style: v1} {@code POST {base_url}/openai/v1/chat/completions}
 * with the deployment as {@code model}. Created by {@link AzureOpenAiProviderFactory}.
 *
 * <pre>{@code
 * providers:
 *   azure-eu:  { type: azure-openai, base_url: https://myres.openai.azure.com, api_key: ${AZURE_KEY} }
 *   azure-v1:  { type: azure-openai, base_url: https://myres.openai.azure.com, api_key: ${AZURE_KEY}, api_style: v1 }
 *   azure-aad: { type: azure-openai, base_url: https://myres.openai.azure.com, api_key: ${AZURE_TOKEN}, auth: entra }
 * }</pre>
 *
 * <p>Options: {@code api_version} (default {@value AzureEndpoint#DEFAULT_API_VERSION}), {@code api_style}
 * ({@code deployments} or {@code v1}), {@code auth} ({@code api-key}: the key in the {@code api-key} header;
 * {@code entra}: the {@code api_key} value sent as {@code Authorization: Bearer}; it must be a valid access
 * token, as acquiring and refreshing tokens (a token provider hook) is out of scope), {@code max_tokens_param}
 * ({@code max_tokens} or {@code max_completion_tokens} for reasoning deployments), {@code stream_usage}
 * (default true: streams ask for a final usage chunk). Errors: see {@link AzureErrors}. Follows the
 * {@link ChatProvider} contract: never throws, fails futures with {@link ProviderException}, and cancelling a
 * future aborts its request. Immutable and thread-safe.
 */
public final class AzureOpenAiProvider implements ChatProvider {
    private final String name;
    private final OpenAiCodec codec = OpenAiCodec.shared();
    private final JsonHttp http;
    private final AzureEndpoint endpoint;
    private final boolean maxCompletionTokens;
    private final boolean streamUsage;
    private final Duration timeout;

    /** @throws InvalidProviderConfigException naming the key when the entry is invalid */
    public AzureOpenAiProvider(ProviderConfig config) {
        this.name = config.name();
        this.endpoint = new AzureEndpoint(config);
        String maxTokens = config.stringOption("max_tokens_param", "max_tokens");
        if (!maxTokens.equals("max_tokens") && !maxTokens.equals("max_completion_tokens")) {
            throw new InvalidProviderConfigException("max_tokens_param",
                    "max_tokens_param must be max_tokens or max_completion_tokens, was '" + maxTokens + "'");
        }
        this.maxCompletionTokens = maxTokens.equals("max_completion_tokens");
        String usage = config.stringOption("stream_usage", "true");
        if (!usage.equals("true") && !usage.equals("false")) {
            throw new InvalidProviderConfigException("stream_usage", "stream_usage must be true or false, was '" + usage + "'");
        }
        this.streamUsage = usage.equals("true");
        this.http = new JsonHttp(name, config.transport());
        this.timeout = config.requestTimeout();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        String deployment = request.model();
        try {
            return http.send(chatCall(request, false), deployment, (result, body) -> error(deployment, result, body), body -> {
                ChatResponse r = codec.readResponse(success(body, deployment));
                return r.model().isEmpty() ? new ChatResponse(r.id(), deployment, r.choices(), r.usage()) : r;
            });
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, deployment, t));
        }
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        String deployment = request.model();
        try {
            return http.stream(chatCall(request, true), deployment, (result, body) -> error(deployment, result, body),
                    new AzureStream(codec, http, name, deployment, sink));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, deployment, t));
        }
    }

    @Override
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request) {
        String deployment = request.model();
        try {
            HttpCall call = post(uri(deployment, "embeddings"), codec.writeEmbeddingRequest(request), "application/json");
            return http.send(call, deployment, (result, body) -> error(deployment, result, body), body -> {
                EmbeddingResponse e = codec.readEmbeddingResponse(success(body, deployment));
                return e.model().isEmpty() ? new EmbeddingResponse(deployment, e.vectors(), e.usage()) : e;
            });
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ProviderException.fromFailure(name, deployment, t));
        }
    }

    private HttpCall chatCall(ChatRequest request, boolean stream) {
        capabilities().check(name, request, stream);
        URI uri = uri(request.model(), "chat/completions");
        ChatRequest sent = stream && streamUsage && !request.includeUsage() ? request.toBuilder().includeUsage(true).build() : request;
        ObjectNode body = codec.requestTree(sent, stream);
        if (maxCompletionTokens && body.has("max_tokens")) {
            body.set("max_completion_tokens", body.remove("max_tokens"));
        }
        return post(uri, codec.toBytes(body), stream ? "text/event-stream" : "application/json");
    }

    private URI uri(String deployment, String operation) {
        if (!AzureEndpoint.validDeployment(deployment)) {
            throw ProviderException.unsupported(name, deployment, "the deployment name '" + deployment + "'");
        }
        return endpoint.uri(deployment, operation);
    }

    private HttpCall post(URI uri, byte[] body, String accept) {
        HttpCall.Builder b = HttpCall.post(uri, body).timeout(timeout).header("Accept", accept);
        endpoint.authHeader().forEach(b::header);
        return b.build();
    }

    private ProviderException error(String deployment, HttpResult result, JsonNode body) {
        return AzureErrors.fromHttp(name, deployment, endpoint, result, body);
    }

    /** A 2xx body. @throws ProviderException when it is an error object */
    private JsonNode success(JsonNode body, String deployment) {
        if (codec.isError(body)) {
            throw AzureErrors.fromBody(codec, name, deployment, body);
        }
        return body;
    }

    @Override
    public String toString() {
        return "AzureOpenAiProvider{" + name + ", " + endpoint + "}";
    }
}
