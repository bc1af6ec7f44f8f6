package dev.switchboard.runtime.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TelemetryUnitsTest {
    private static final SpanContext PARENT = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());

    @Test
    void providerTypesMapToWellKnownGenAiProviderNames() {
        assertThat(ProviderNames.of("openai")).isEqualTo("openai");
        assertThat(ProviderNames.of("azure-openai")).isEqualTo("azure.ai.openai");
        assertThat(ProviderNames.of("anthropic")).isEqualTo("anthropic");
        assertThat(ProviderNames.of("cohere")).isEqualTo("cohere");
        assertThat(ProviderNames.of("gemini")).isEqualTo("gcp.gemini");
        assertThat(ProviderNames.of("groq")).isEqualTo("groq");
        assertThat(ProviderNames.of("mistral")).isEqualTo("mistral_ai");
        assertThat(ProviderNames.of("deepseek")).isEqualTo("deepseek");
        assertThat(ProviderNames.of("ollama")).isEqualTo("ollama");
        assertThat(ProviderNames.of(null)).isEqualTo("_OTHER");
    }

    @Test
    void errorTypesAreStatusCodesKindsOrClassNames() {
        ProviderException status = ProviderException.builder("p").status(503).message("busy").build();
        ProviderException timeout = ProviderException.builder("p").kind(ProviderCallException.Kind.TIMEOUT).message("slow").build();
        assertThat(ErrorTypes.of(status)).isEqualTo("503");
        assertThat(ErrorTypes.of(timeout)).isEqualTo("timeout");
        assertThat(ErrorTypes.of(new AllAttemptsFailedException("d", List.of(), List.of(timeout, status)))).isEqualTo("503");
        assertThat(ErrorTypes.of(new CancellationException())).isEqualTo("cancelled");
        assertThat(ErrorTypes.of(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
    }

    /** Captures what reaches the wrapped transport. */
    private static final class Capture implements HttpTransport {
        final AtomicReference<HttpCall> last = new AtomicReference<>();

        @Override
        public CompletableFuture<HttpResult> send(HttpCall call) {
            last.set(call);
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
            return send(call);
        }
    }

    @Test
    void theTransportInjectsTheCurrentSpanIntoPostAndGetRequests() {
        Capture inner = new Capture();
        HttpTransport t = TracePropagatingTransport.decorator(W3CTraceContextPropagator.getInstance()).apply(inner);
        HttpCall post = HttpCall.post(URI.create("http://x/chat"), "{}".getBytes(StandardCharsets.UTF_8))
                .header("Authorization", "Bearer k").timeout(Duration.ofSeconds(7)).build();
        try (Scope ignored = Context.root().with(Span.wrap(PARENT)).makeCurrent()) {
            t.send(post);
            HttpCall sent = inner.last.get();
            assertThat(sent.headers()).containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .containsEntry("Authorization", "Bearer k").containsEntry("Content-Type", "application/json");
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.bodyText()).isEqualTo("{}");
            assertThat(sent.timeout()).isEqualTo(Duration.ofSeconds(7));
            t.stream(HttpCall.get(URI.create("http://x/models")).build(), e -> { });
            assertThat(inner.last.get().headers()).containsKey("traceparent").doesNotContainKey("Content-Type");
        }
    }

    @Test
    void theTransportLeavesRequestsAloneWithoutASpanOrWithTheirOwnTraceparent() {
        Capture inner = new Capture();
        HttpTransport t = new TracePropagatingTransport(inner, W3CTraceContextPropagator.getInstance());
        HttpCall plain = HttpCall.get(URI.create("http://x/models")).build();
        t.send(plain);
        assertThat(inner.last.get()).isSameAs(plain);
        HttpCall own = HttpCall.get(URI.create("http://x/models")).header("TraceParent", "00-abc").build();
        try (Scope ignored = Context.root().with(Span.wrap(PARENT)).makeCurrent()) {
            t.send(own);
        }
        assertThat(inner.last.get()).isSameAs(own);
        assertThat(TracePropagatingTransport.decorator(W3CTraceContextPropagator.getInstance()).apply(t)).isSameAs(t);
    }

    @Test
    void callSpansAreFoundOnlyForTheirOwnCallId() {
        CallSpans.publish("call_a", PARENT);
        assertThat(CallSpans.lookup("call_a")).isSameAs(PARENT);
        assertThat(CallSpans.lookup("call_b")).isNull();
    }
}
