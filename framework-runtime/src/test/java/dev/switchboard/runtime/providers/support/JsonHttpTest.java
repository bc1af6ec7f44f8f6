package dev.switchboard.runtime.providers.support;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.http.HttpCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.HttpTransport;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.spi.http.SseListener;
import java.io.EOFException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class JsonHttpTest {
    private static final HttpCall CALL = HttpCall.post(URI.create("http://127.0.0.1:1/x"), new byte[0]).build();

    /** A transport answering every call with a fixed future, optionally feeding events first. */
    private static final class StubTransport implements HttpTransport {
        final CompletableFuture<HttpResult> answer;
        final SseEvent[] events;

        StubTransport(CompletableFuture<HttpResult> answer, SseEvent... events) {
            this.answer = answer;
            this.events = events;
        }

        @Override
        public CompletableFuture<HttpResult> send(HttpCall call) {
            return answer;
        }

        @Override
        public CompletableFuture<HttpResult> stream(HttpCall call, SseListener listener) {
            for (SseEvent e : events) {
                listener.onEvent(e);
            }
            return answer;
        }
    }

    private static final class TerminalReader implements JsonHttp.StreamReader<String> {
        boolean terminated;

        @Override
        public void onEvent(SseEvent event) {
            terminated |= "end".equals(event.event());
        }

        @Override
        public boolean terminated() {
            return terminated;
        }

        @Override
        public String result() {
            return "done";
        }
    }

    private static HttpResult result(int status, String body) {
        return new HttpResult(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cancellingTheResultCancelsTheExchange() {
        CompletableFuture<HttpResult> exchange = new CompletableFuture<>();
        CompletableFuture<String> out = new JsonHttp("p", new StubTransport(exchange)).send(CALL, "m", (r, b) -> null, b -> "x");
        out.cancel(true);
        assertThat(exchange.isCancelled()).isTrue();
    }

    @Test
    void aFailingErrorParserStillCompletesTheFuture() {
        JsonHttp http = new JsonHttp("p", new StubTransport(CompletableFuture.completedFuture(result(500, "{}"))));
        assertThat(failure(http.send(CALL, "m", (r, b) -> {
            throw new IllegalStateException("bug");
        }, b -> "x")).kind()).isEqualTo(Kind.OTHER);
    }

    @Test
    void aReaderFailureOnA2xxBodyIsMalformed() {
        JsonHttp http = new JsonHttp("p", new StubTransport(CompletableFuture.completedFuture(result(200, "{\"a\":1}"))));
        assertThat(failure(http.send(CALL, "m", (r, b) -> null, b -> {
            throw new IllegalArgumentException("no field b");
        })).getMessage()).contains("no field b");
    }

    @Test
    void aBreakAfterTheTerminalEventIsIgnoredAndABreakBeforeItInterrupts() {
        JsonHttp after = new JsonHttp("p", new StubTransport(CompletableFuture.failedFuture(new EOFException("cut")),
                new SseEvent("data", "{}", null), new SseEvent("end", "{}", null)));
        assertThat(await(after.stream(CALL, "m", (r, b) -> null, new TerminalReader()))).isEqualTo("done");
        JsonHttp before = new JsonHttp("p", new StubTransport(CompletableFuture.failedFuture(new EOFException("cut")),
                new SseEvent("data", "{}", null)));
        assertThat(failure(before.stream(CALL, "m", (r, b) -> null, new TerminalReader())).kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        JsonHttp none = new JsonHttp("p", new StubTransport(CompletableFuture.failedFuture(new EOFException("cut"))));
        assertThat(failure(none.stream(CALL, "m", (r, b) -> null, new TerminalReader())).kind()).isEqualTo(Kind.CONNECTION);
    }
}
