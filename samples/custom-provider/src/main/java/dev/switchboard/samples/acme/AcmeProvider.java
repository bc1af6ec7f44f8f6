package dev.switchboard.samples.acme;

import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link ChatProvider} for ACME Corp's in-house LLM endpoint, written against {@code provider-spi} only:
 * <ul>
 *   <li>plain: {@code POST {base_url}/generate} with {@code {model, prompt_messages:[{role,text}],
 *       temperature?, max_output?, stop?}}, answered by {@code {id, output, tokens_in, tokens_out, stop}};</li>
 *   <li>streamed: {@code POST {base_url}/generate/stream}, the same body, answered by server-sent events
 *       (see {@link AcmeStream});</li>
 *   <li>errors: a non-2xx status with {@code {error_code, detail}}, mapped by {@link AcmeWire#error}.</li>
 * </ul>
 *
 * <p><b>Capabilities.</b> Text chat and streaming only. Requests with tools, tool messages, images, a JSON
 * response format, {@code n > 1}, a seed, {@code top_p} or any other parameter of
 * {@link ChatRequest#extra()} fail with kind {@code UNSUPPORTED} before any network I/O, so the engine
 * moves on to a fallback instead of sending something ACME would ignore.
 *
 * <p><b>Contract.</b> Never throws and never blocks: every failure completes the returned future
 * exceptionally with a {@link ProviderException}; cancelling the future aborts the HTTP exchange (the
 * transport closes the connection). Immutable and thread-safe: one instance serves every call of its
 * configuration entry.
 */
public final class AcmeProvider implements ChatProvider {
    /** Streaming text chat, nothing else. */
    static final Capabilities CAPABILITIES = new Capabilities(true, false, false, false, false, false, false, false);

    private final AcmeSettings settings;
    private final HttpTransport transport;

    AcmeProvider(AcmeSettings settings, HttpTransport transport) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        CompletableFuture<ChatResponse> out = new CompletableFuture<>();
        try {
            check(request, false);
            String model = request.model();
            relay(out, transport.send(call(settings.generate(), request, "application/json")),
                    result -> read(result, model), t -> ProviderException.fromFailure(settings.name(), model, t));
        } catch (RuntimeException e) {
            out.completeExceptionally(ProviderException.fromFailure(settings.name(), modelOf(request), e));
        }
        return out;
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, ChunkSink sink) {
        CompletableFuture<ChatResponse> out = new CompletableFuture<>();
        try {
            check(request, true);
            AcmeStream stream = new AcmeStream(settings.name(), request.model(), sink, out);
            relay(out, transport.stream(call(settings.stream(), request, "text/event-stream"), stream),
                    stream::finish, stream::failure);
        } catch (RuntimeException e) {
            out.completeExceptionally(ProviderException.fromFailure(settings.name(), modelOf(request), e));
        }
        return out;
    }

    /** Refuses what ACME cannot do, before any network I/O. @throws ProviderException of kind UNSUPPORTED */
    private void check(ChatRequest request, boolean stream) {
        CAPABILITIES.check(settings.name(), request, stream);
        if (request.messages().stream().map(ChatMessage::role).anyMatch(r -> r == Role.TOOL)) {
            throw ProviderException.unsupported(settings.name(), request.model(), "tool messages");
        }
        if (request.topP() != null) {
            throw ProviderException.unsupported(settings.name(), request.model(), "top_p");
        }
        if (!request.extra().isEmpty()) {
            String parameter = request.extra().keySet().iterator().next();
            throw ProviderException.unsupported(settings.name(), request.model(), "the parameter '" + parameter + "'");
        }
    }

    private HttpCall call(URI uri, ChatRequest request, String accept) {
        HttpCall.Builder b = HttpCall.post(uri, AcmeWire.requestBody(request))
                .header("Accept", accept)
                .header("X-Acme-Tenant", settings.tenant())
                .timeout(settings.timeout());
        if (!settings.apiKey().isEmpty()) {
            b.header("Authorization", "Bearer " + settings.apiKey().reveal());
        }
        return b.build();
    }

    private ChatResponse read(HttpResult result, String model) {
        if (!result.isSuccess()) {
            throw AcmeWire.error(settings.name(), model, result);
        }
        try {
            return AcmeWire.answer(AcmeWire.parse(result.body()), model);
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed(settings.name(), model, e.getMessage(), e);
        }
    }

    /**
     * Completes {@code out} from the exchange: the reader's value, or its {@link ProviderException}, or the
     * transport failure mapped by {@code failure}. Completing {@code out} first (the engine cancels it on a
     * timeout, or the caller closes a stream) cancels the exchange.
     */
    private static <T> void relay(CompletableFuture<T> out, CompletableFuture<HttpResult> exchange,
                                  Function<HttpResult, T> reader, Function<Throwable, ProviderException> failure) {
        exchange.whenComplete((result, error) -> {
            try {
                if (error != null) {
                    out.completeExceptionally(failure.apply(error));
                } else {
                    out.complete(reader.apply(result));
                }
            } catch (ProviderException e) {
                out.completeExceptionally(e);
            } catch (RuntimeException e) {
                out.completeExceptionally(failure.apply(e));
            }
        });
        out.whenComplete((r, e) -> {
            if (!exchange.isDone()) {
                exchange.cancel(true);
            }
        });
    }

    private static String modelOf(ChatRequest request) {
        return request == null ? null : request.model();
    }

    @Override
    public String toString() {
        return "AcmeProvider{" + settings.name() + ", " + settings.generate() + "}";
    }
}
