package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Fallback;
import dev.switchboard.api.Model;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.api.Retry;
import dev.switchboard.api.Timeout;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyPipelineTest {

    @Model("primary/p-model")
    interface Bot {
        @UserMessage("{{q}}")
        @Retry(count = 2, onCodes = {429, 503}, backoffMillis = 1, maxBackoffMillis = 5)
        Completion<String> ask(@Var("q") String q);

        @UserMessage("{{q}}")
        @Retry(count = 1, onCodes = {503}, backoffMillis = 1, maxBackoffMillis = 2000)
        Completion<String> slowDown(@Var("q") String q);

        @UserMessage("{{q}}")
        @Retry(count = 1, onCodes = {503}, backoffMillis = 1, maxBackoffMillis = 5)
        @Fallback({"second/s-model", "third/t-model"})
        Completion<String> withFallbacks(@Var("q") String q);

        @UserMessage("{{q}}")
        @Timeout(millis = 200)
        String bounded(@Var("q") String q);

        @UserMessage("{{q}}")
        @Retry(count = 2, onCodes = {503}, backoffMillis = 1, maxBackoffMillis = 5)
        @Fallback({"second/s-model"})
        Stream<String> stream(@Var("q") String q);
    }

    private final Switchboard sb = Fixtures.builder("""
            providers:
              primary: { type: scripted, circuit_breaker: { failure_threshold: 3, failure_window: 3, delay: 1m } }
              second: { type: scripted }
              third: { type: scripted }
            """).build();
    private final ScriptedProvider primary = ScriptedProvider.BY_NAME.get("primary");
    private final ScriptedProvider second = ScriptedProvider.BY_NAME.get("second");
    private final ScriptedProvider third = ScriptedProvider.BY_NAME.get("third");
    private final Bot bot = sb.create(Bot.class);

    @AfterEach
    void close() {
        sb.close();
    }

    @Test
    void retriesListedCodesUntilSuccess() {
        primary.fail(503).fail(429).reply("ok");
        Completion<String> c = bot.ask("q");
        assertThat(c.content()).isEqualTo("ok");
        assertThat(c.attempts()).extracting(Attempt::statusCode).containsExactly(503, 429, 200);
        assertThat(primary.requests).hasSize(3);
    }

    @Test
    void doesNotRetryCodesThatAreNotListed() {
        primary.fail(500).reply("never");
        assertThatThrownBy(() -> bot.ask("q"))
                .isInstanceOf(AllAttemptsFailedException.class)
                .satisfies(e -> {
                    AllAttemptsFailedException a = (AllAttemptsFailedException) e;
                    assertThat(a.attempts()).hasSize(1);
                    assertThat(((ProviderCallException) a.getCause()).statusCode()).isEqualTo(500);
                });
        assertThat(primary.requests).hasSize(1);
    }

    @Test
    void stopsAtTheRetryCount() {
        primary.fail(503).fail(503).fail(503).reply("too late");
        assertThatThrownBy(() -> bot.ask("q")).isInstanceOf(AllAttemptsFailedException.class)
                .hasMessageContaining("all 3 attempts failed");
        assertThat(primary.requests).hasSize(3);
    }

    @Test
    void honoursRetryAfter() {
        primary.failRetryAfter(503, Duration.ofMillis(300)).reply("ok");
        assertThat(bot.slowDown("q").content()).isEqualTo("ok");
        long gapMillis = (primary.times.get(1) - primary.times.get(0)) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(280);
    }

    @Test
    void triesFallbacksInOrderEachWithItsRetries() {
        primary.fail(503).fail(503);
        second.fail(503).fail(503);
        third.reply("from third");
        Completion<String> c = bot.withFallbacks("q");
        assertThat(c.content()).isEqualTo("from third");
        assertThat(c.provider()).isEqualTo("third");
        assertThat(c.attempts()).extracting(Attempt::modelRef)
                .containsExactly("primary/p-model", "primary/p-model", "second/s-model", "second/s-model", "third/t-model");
        assertThat(third.requests.get(0).model()).isEqualTo("t-model");
    }

    @Test
    void circuitBreakerOpensAndSkipsTheDeadProvider() {
        for (int i = 0; i < 3; i++) {
            primary.fail(503).fail(503);
            second.reply("fallback " + i);
            bot.withFallbacks("q");
        }
        int sentBefore = primary.requests.size();
        second.reply("fast");
        Completion<String> c = bot.withFallbacks("q");
        assertThat(c.content()).isEqualTo("fast");
        assertThat(primary.requests).hasSize(sentBefore);
        assertThat(c.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.CIRCUIT_OPEN);
        assertThat(sb.engine().providers().breakerStates()).containsEntry("primary", "OPEN");
    }

    @Test
    void totalTimeoutCancelsTheRequestInFlight() {
        primary.hang();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> bot.bounded("q")).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("timed out after 200 ms waiting on primary/p-model");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        assertThat(primary.lastCancelledWithin(Duration.ofSeconds(5))).as("the provider's call cancelled").isTrue();
    }

    @Test
    void streamRetriesBeforeTheFirstChunkOnly() {
        primary.fail(503).reply("one two three");
        List<String> parts;
        try (Stream<String> s = bot.stream("q")) {
            parts = s.collect(Collectors.toList());
        }
        assertThat(String.join("", parts)).isEqualTo("one two three");
        assertThat(primary.requests).hasSize(2);
    }

    @Test
    void streamCutAfterOutputFailsWithoutRetryOrDuplicates() {
        primary.reply("one two CUT three");
        primary.reply("one two three");
        second.reply("fallback");
        StringBuilder seen = new StringBuilder();
        assertThatThrownBy(() -> {
            try (Stream<String> s = bot.stream("q")) {
                s.forEach(seen::append);
            }
        }).isInstanceOf(ProviderCallException.class).hasMessageContaining("terminal event");
        assertThat(seen.toString()).isEqualTo("one two ");
        assertThat(primary.requests).hasSize(1);
        assertThat(second.requests).isEmpty();
    }
}
