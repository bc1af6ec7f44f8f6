package dev.switchboard.runtime.providers.anthropic;

import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpCall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ChatProvider} for the Anthropic Messages API. System messages become the top-level
 * {@code system}, tool calls and results become {@code tool_use} / {@code tool_result} blocks, and a
 * missing {@code max_tokens} gets the entry's {@code default_max_tokens}.
 *
 * <p><b>Structured output.</b> The stable Messages API has no JSON response format, so a
 * {@code json_schema} request is served by offering one tool named after the schema, whose
 * {@code input_schema} is the schema, and forcing it with {@code tool_choice}; the tool's input is the
 * answer and is returned as the message text (finish reason {@code STOP}, no tool calls). A schema whose
 * root is not an object is wrapped as property {@code value} of an object and unwrapped again.
 * {@code json_object} works the same way with a permissive object schema. Structured output cannot be
 * combined with the request's own tools. {@code strict} is not forwarded.
 *
 * <p><b>Refused before any network I/O</b> (kind {@code UNSUPPORTED}): {@code n > 1}, {@code seed},
 * {@code temperature > 1}, the parameters {@code logprobs}, {@code top_logprobs}, {@code logit_bias},
 * {@code frequency_penalty}, {@code presence_penalty}, images by plain {@code http} URL, tool-call
 * arguments that are not a JSON object. Other parameters of {@code extra()} are passed through, except
 * OpenAI-only hints that are dropped ({@code store}, {@code stream_options}, …); {@code user} becomes
 * {@code metadata.user_id} and {@code parallel_tool_calls: false} becomes
 * {@code disable_parallel_tool_use}.
 *
 * <p>Thread-safe: one instance serves all calls of its configuration entry.
 */
final class AnthropicProvider implements ChatProvider {
    static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, true, false, false, false);

    private final String name;
    private final AnthropicSettings settings;
    private final String apiKey;
    private final Duration timeout;
    private final JsonHttp http;
    private final AnthropicRequestWriter writer;

    AnthropicProvider(ProviderConfig config, AnthropicSettings settings) {
        this.name = config.name();
        this.settings = settings;
        this.apiKey = config.apiKey().reveal();
        this.timeout = config.requestTimeout();
        this.http = new JsonHttp(name, config.transport());
        this.writer = new AnthropicRequestWriter(name, settings.defaultMaxTokens());
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        try {
            AnthropicRequestWriter.Prepared prepared = writer.write(request, false);
            AnthropicErrors errors = new AnthropicErrors(name, request.model());
            return http.send(call(prepared, false), request.model(), errors::fromHttp,
                    body -> AnthropicResponseReader.read(body, prepared.answerTool(), request.model()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(request, e));
        }
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        try {
            AnthropicRequestWriter.Prepared prepared = writer.write(request, true);
            AnthropicErrors errors = new AnthropicErrors(name, request.model());
            AnthropicStreamReader reader = new AnthropicStreamReader(http, errors, request.model(), prepared.answerTool(), sink);
            return http.stream(call(prepared, true), request.model(), errors::fromHttp, reader);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(request, e));
        }
    }

    private HttpCall call(AnthropicRequestWriter.Prepared prepared, boolean stream) {
        return HttpCall.post(settings.endpoint(), JsonHttp.bytes(prepared.body()))
                .header("x-api-key", apiKey)
                .header("anthropic-version", settings.version())
                .header("anthropic-beta", settings.beta())
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .timeout(timeout)
                .build();
    }

    private ProviderException failure(ChatRequest request, RuntimeException e) {
        return e instanceof ProviderException pe ? pe : ProviderException.fromFailure(name, request == null ? null : request.model(), e);
    }

    @Override
    public String toString() {
        return "AnthropicProvider{" + name + ", " + settings.endpoint() + "}";
    }
}
