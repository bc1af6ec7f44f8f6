package dev.switchboard.samples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolDefinition;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link ChatProvider} contract of the plugin on its own, without the engine. */
class AcmeProviderContractTest {
    private final FakeLlmServer acme = FakeLlmServer.start();
    private final ChatProvider provider = new AcmeProviderFactory().create(
            ProviderConfig.builder("acme", "acme").baseUrl(acme.rootUrl()).requestTimeout(Duration.ofSeconds(5)).build());
    private final ChatRequest request = ChatRequest.builder("acme-large").message(ChatMessage.user("Hi")).build();

    @AfterEach
    void close() {
        provider.close();
        acme.close();
    }

    @Test
    void failuresCompleteTheFutureAndAreNeverThrown() {
        acme.raw("POST", "/generate", RawResponse.json(200, "{\"no_output\":true}"));

        CompletableFuture<?> f = provider.chat(request);

        assertThat(failure(f).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(failure(f).retryable()).isTrue();
    }

    @Test
    void unsupportedRequestsFailBeforeAnyNetworkIo() {
        ChatRequest withTools = request.toBuilder()
                .tool(new ToolDefinition("lookup", "Looks up an order", JsonNodeFactory.instance.objectNode(), false))
                .build();
        ChatRequest withExtra = request.toBuilder().parameter("logit_bias", Map.of()).build();

        assertThat(failure(provider.chat(withTools)).kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(failure(provider.stream(withExtra, c -> { })).getMessage()).contains("logit_bias");
        assertThat(acme.requestCount()).isZero();
    }

    @Test
    void errorStatusesCarryCodeRetryabilityAndRetryAfter() {
        acme.raw("POST", "/generate", RawResponse.json(429, "{\"error_code\":\"rate_limited\",\"detail\":\"slow down\"}")
                .header("Retry-After", "2"));

        ProviderException e = failure(provider.chat(request));

        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limited");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(e.getMessage()).contains("slow down");
    }

    @Test
    void anErrorEventInsideAStreamFailsItAfterTheChunksBefore() {
        acme.raw("POST", "/generate/stream", RawResponse.sse(200, """
                event: token
                data: {"text":"Hel"}

                event: error
                data: {"error_code":"overloaded","detail":"shedding load"}

                """));
        List<ChatChunk> chunks = new ArrayList<>();

        ProviderException e = failure(provider.stream(request, chunks::add));

        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Hel");
        assertThat(e.errorCode()).isEqualTo("overloaded");
    }

    @Test
    void cancellingTheFutureClosesTheConnection() throws Exception {
        acme.raw("POST", "/generate", RawResponse.json(200, "{\"output\":\"late\"}").latency(Duration.ofSeconds(10)));

        CompletableFuture<?> f = provider.chat(request);
        assertThat(acme.takeRequest(Duration.ofSeconds(2))).isNotNull();
        f.cancel(true);

        assertThat(acme.awaitClientAbort(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void anUnreachableEndpointIsAConnectionFailure() {
        FakeLlmServer gone = FakeLlmServer.start();
        String url = gone.rootUrl();
        gone.close();
        ChatProvider p = new AcmeProviderFactory().create(ProviderConfig.builder("acme", "acme").baseUrl(url).build());

        assertThat(failure(p.chat(request)).kind()).isEqualTo(Kind.CONNECTION);
    }

    private static ProviderException failure(CompletableFuture<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProviderException.class);
            return (ProviderException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    @Test
    void nothingIsThrownSynchronouslyEvenForNonsense() {
        assertThatThrownBy(() -> provider.chat(null).join()).hasCauseInstanceOf(ProviderException.class);
    }
}
