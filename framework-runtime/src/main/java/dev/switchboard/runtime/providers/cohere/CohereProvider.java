package dev.switchboard.runtime.providers.cohere;

import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpCall;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ChatProvider} for the Cohere Chat API v2. Messages keep their roles; an assistant message with
 * tool calls sends its text as {@code tool_plan}, and an answer's {@code tool_plan} comes back as the
 * message text (streamed as text chunks), so a tool round trip echoes the plan as Cohere asks.
 * {@code json_object} / {@code json_schema} become {@code response_format {type: json_object, json_schema?}}
 * (the raw schema; {@code strict} is not forwarded); {@code top_p} becomes {@code p}, clamped to Cohere's
 * 0.01..0.99; the extra parameter {@code top_k} becomes {@code k}.
 *
 * <p><b>Refused before any network I/O</b> (kind {@code UNSUPPORTED}): {@code n > 1}, {@code temperature > 1},
 * a named tool choice (Cohere only has {@code REQUIRED} and {@code NONE}), a response format together with
 * tools, and the parameters {@code logprobs}, {@code top_logprobs}, {@code logit_bias},
 * {@code parallel_tool_calls: false}. Other parameters of {@code extra()} are passed through, except
 * OpenAI-only hints that are dropped ({@code user}, {@code store}, {@code stream_options}, …).
 *
 * <p>Thread-safe: one instance serves all calls of its configuration entry.
 */
final class CohereProvider implements ChatProvider {
    static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, true, false, true, false);

    private final String name;
    private final URI endpoint;
    private final String authorization;
    private final Duration timeout;
    private final JsonHttp http;
    private final CohereRequestWriter writer;

    CohereProvider(ProviderConfig config, URI endpoint) {
        this.name = config.name();
        this.endpoint = endpoint;
        this.authorization = "Bearer " + config.apiKey().reveal();
        this.timeout = config.requestTimeout();
        this.http = new JsonHttp(name, config.transport());
        this.writer = new CohereRequestWriter(name);
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        try {
            HttpCall call = call(writer.write(request, false), false);
            CohereErrors errors = new CohereErrors(name, request.model());
            return http.send(call, request.model(), errors::fromHttp, body -> CohereResponseReader.read(body, request.model()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(request, e));
        }
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        try {
            HttpCall call = call(writer.write(request, true), true);
            CohereErrors errors = new CohereErrors(name, request.model());
            return http.stream(call, request.model(), errors::fromHttp, new CohereStreamReader(http, request.model(), sink));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(request, e));
        }
    }

    private HttpCall call(com.fasterxml.jackson.databind.node.ObjectNode body, boolean stream) {
        return HttpCall.post(endpoint, JsonHttp.bytes(body))
                .header("Authorization", authorization)
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .timeout(timeout)
                .build();
    }

    private ProviderException failure(ChatRequest request, RuntimeException e) {
        return e instanceof ProviderException pe ? pe : ProviderException.fromFailure(name, request == null ? null : request.model(), e);
    }

    @Override
    public String toString() {
        return "CohereProvider{" + name + ", " + endpoint + "}";
    }
}
