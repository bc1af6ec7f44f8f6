package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Fallback;
import dev.switchboard.api.Model;
import dev.switchboard.api.Retry;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.Timeout;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine against local fake OpenAI-compatible servers, through the real openai provider over HTTP. */
class OpenAiEndToEndTest {

    record Answer(String summary, int confidence) {
    }

    @Model("primary/gpt-test")
    interface Bot {
        @SystemMessage("You answer for {{company}}.")
        @UserMessage("{{q}}")
        @Retry(count = 2, onCodes = {429, 503}, backoffMillis = 5, maxBackoffMillis = 1000)
        @Fallback("backup/gpt-backup")
        Completion<String> ask(@Var("company") String company, @Var("q") String q);

        @UserMessage("{{q}}")
        @Retry(count = 2, onCodes = {503}, backoffMillis = 5, maxBackoffMillis = 50)
        Stream<String> stream(@Var("q") String q);

        @UserMessage("{{q}}")
        Answer structured(@Var("q") String q);

        @UserMessage("{{q}}")
        @Timeout(millis = 300)
        String bounded(@Var("q") String q);
    }

    private final FakeLlmServer primary = FakeLlmServer.start();
    private final FakeLlmServer backup = FakeLlmServer.start();
    private final Switchboard sb = Fixtures.builder("""
            providers:
              primary: { type: openai, base_url: "%s", api_key: sk-primary, circuit_breaker: { failure_threshold: 4, failure_window: 4, delay: 1m } }
              backup:  { type: openai, base_url: "%s", api_key: sk-backup }
            """.formatted(primary.baseUrl(), backup.baseUrl())).build();
    private final Bot bot = sb.create(Bot.class);

    @AfterEach
    void close() {
        sb.close();
        primary.close();
        backup.close();
    }

    @Test
    void plainCallSendsRenderedMessagesWithAuth() {
        primary.enqueue(Reply.text("Hello from primary"));
        Completion<String> c = bot.ask("ACME", "Hi?");
        assertThat(c.content()).isEqualTo("Hello from primary");
        assertThat(c.usage().totalTokens()).isPositive();
        var req = primary.requests().get(0);
        assertThat(req.header("authorization")).isEqualTo("Bearer sk-primary");
        assertThat(req.json().at("/model").asText()).isEqualTo("gpt-test");
        assertThat(req.json().at("/messages/0/content").asText()).isEqualTo("You answer for ACME.");
        assertThat(req.json().at("/messages/1/content").asText()).isEqualTo("Hi?");
    }

    @Test
    void retriesOnListedCodesOnlyAndHonoursRetryAfter() {
        primary.enqueue(Reply.status(429).header("retry-after-ms", "250"), Reply.status(503), Reply.text("third time lucky"));
        long t0 = System.nanoTime();
        Completion<String> c = bot.ask("ACME", "q");
        assertThat(c.content()).isEqualTo("third time lucky");
        assertThat(c.attempts()).extracting(Attempt::statusCode).containsExactly(429, 503, 200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(backup.requests()).isEmpty();
    }

    @Test
    void unlistedStatusGoesStraightToTheFallback() {
        primary.enqueue(Reply.status(400).errorMessage("bad thing"));
        backup.enqueue(Reply.text("from backup"));
        Completion<String> c = bot.ask("ACME", "q");
        assertThat(c.content()).isEqualTo("from backup");
        assertThat(c.provider()).isEqualTo("backup");
        assertThat(primary.requests()).hasSize(1);
        assertThat(backup.requests().get(0).header("authorization")).isEqualTo("Bearer sk-backup");
        assertThat(backup.requests().get(0).json().at("/model").asText()).isEqualTo("gpt-backup");
    }

    @Test
    void stopsAtTheRetryCountThenTriesTheFallbackInOrder() {
        primary.enqueue(Reply.status(503).times(3));
        backup.enqueue(Reply.status(503).times(3));
        assertThatThrownBy(() -> bot.ask("ACME", "q"))
                .isInstanceOf(AllAttemptsFailedException.class)
                .satisfies(e -> assertThat(((AllAttemptsFailedException) e).attempts()).extracting(Attempt::modelRef)
                        .containsExactly("primary/gpt-test", "primary/gpt-test", "primary/gpt-test",
                                "backup/gpt-backup", "backup/gpt-backup", "backup/gpt-backup"));
        assertThat(primary.requests()).hasSize(3);
        assertThat(backup.requests()).hasSize(3);
    }

    @Test
    void connectionFaultsAndMalformedBodiesAreRetried() {
        primary.enqueue(Fault.connectionReset(), Fault.malformedJson(), Reply.text("recovered"));
        assertThat(bot.ask("ACME", "q").content()).isEqualTo("recovered");
        assertThat(primary.requests()).hasSize(3);
    }

    @Test
    void breakerOpensAndTheDeadProviderIsSkipped() {
        primary.setDefault(Reply.status(503));
        backup.setDefault(Reply.text("backup"));
        for (int i = 0; i < 2; i++) {
            bot.ask("ACME", "q");
        }
        int sent = primary.requestCount();
        Completion<String> c = bot.ask("ACME", "q");
        assertThat(c.content()).isEqualTo("backup");
        assertThat(primary.requestCount()).isEqualTo(sent);
        assertThat(c.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.CIRCUIT_OPEN);
    }

    @Test
    void streamingDeliversTokensInOrderAfterARetry() {
        primary.enqueue(Reply.status(503), Reply.chunks("Once", " upon", " a", " time"));
        List<String> tokens;
        try (Stream<String> s = bot.stream("story")) {
            tokens = s.collect(Collectors.toList());
        }
        assertThat(tokens).containsExactly("Once", " upon", " a", " time");
        assertThat(primary.requests().get(1).json().at("/stream").asBoolean()).isTrue();
    }

    @Test
    void consecutiveStreamsAndCallsReuseTheKeptAliveConnection() {
        for (int i = 0; i < 3; i++) {
            primary.enqueue(Reply.chunks("s" + i, " done"), Reply.text("plain " + i));
            try (Stream<String> s = bot.stream("q")) {
                assertThat(s.collect(Collectors.joining())).isEqualTo("s" + i + " done");
            }
            assertThat(bot.ask("ACME", "q").content()).isEqualTo("plain " + i);
        }
        assertThat(primary.requests()).hasSize(6);
    }

    @Test
    void streamCutAfterOutputIsAnErrorNotARetry() {
        primary.enqueue(Fault.streamCutAfter(2).source(Reply.chunks("a", "b", "c", "d")), Reply.chunks("x", "y"));
        StringBuilder seen = new StringBuilder();
        assertThatThrownBy(() -> {
            try (Stream<String> s = bot.stream("q")) {
                s.forEach(seen::append);
            }
        }).hasMessageContaining("terminal event");
        assertThat(seen.toString()).isEqualTo("ab");
        assertThat(primary.requests()).hasSize(1);
    }

    @Test
    void structuredOutputSendsJsonSchemaAndParses() {
        primary.enqueue(Reply.text("{\"summary\":\"all good\",\"confidence\":9}"));
        assertThat(bot.structured("status?")).isEqualTo(new Answer("all good", 9));
        var format = primary.requests().get(0).json().at("/response_format");
        assertThat(format.at("/type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/name").asText()).isEqualTo("Answer");
        assertThat(format.at("/json_schema/schema/properties/confidence/type").asText()).isEqualTo("integer");
    }

    @Test
    void totalTimeoutCutsAStalledProvider() {
        primary.enqueue(Fault.stall());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> bot.bounded("q")).isInstanceOf(CallTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(primary.awaitClientAbort(Duration.ofSeconds(2))).isTrue();
    }
}
