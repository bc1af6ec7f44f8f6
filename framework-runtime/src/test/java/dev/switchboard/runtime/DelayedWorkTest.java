package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failsafe.spi.Scheduler;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Model;
import dev.switchboard.api.Retry;
import dev.switchboard.api.Timeout;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Switchboard.Builder.delayedWork}: call timeouts and retry backoff run on the scheduler the host gives. */
class DelayedWorkTest {
    @Model("primary/p-model")
    interface Bot {
        @UserMessage("{{q}}")
        @Retry(count = 1, onCodes = {503}, backoffMillis = 30, maxBackoffMillis = 30)
        Completion<String> ask(@Var("q") String q);

        @UserMessage("{{q}}")
        @Timeout(millis = 200)
        String bounded(@Var("q") String q);
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> delaysMillis = new CopyOnWriteArrayList<>();
    private final Scheduler recording = (task, delay, unit) -> {
        delaysMillis.add(unit.toMillis(delay));
        return timer.schedule(task, delay, unit);
    };
    private final Switchboard sb = Fixtures.builder("""
            providers:
              primary: { type: scripted }
            """).delayedWork(recording).build();
    private final ScriptedProvider primary = ScriptedProvider.BY_NAME.get("primary");
    private final Bot bot = sb.create(Bot.class);

    @AfterEach
    void close() {
        sb.close();
        timer.shutdownNow();
    }

    @Test
    void theTimeoutFiresThroughTheGivenScheduler() {
        primary.hang();
        assertThatThrownBy(() -> bot.bounded("q")).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("timed out after 200 ms");
        assertThat(delaysMillis).hasSize(1);
        assertThat(delaysMillis.get(0)).isBetween(100L, 200L);
        assertThat(primary.lastCancelledWithin(Duration.ofSeconds(5))).as("the provider's call cancelled").isTrue();
    }

    @Test
    void retryBackoffWaitsOnTheGivenScheduler() {
        primary.fail(503).reply("ok");
        Completion<String> c = bot.ask("q");
        assertThat(c.content()).isEqualTo("ok");
        assertThat(c.attempts()).extracting(Attempt::statusCode).containsExactly(503, 200);
        assertThat(delaysMillis).as("the backoff (30 ms, with jitter) and the call's timeout (60 s)")
                .anyMatch(d -> d > 0 && d <= 30).anyMatch(d -> d > 50_000);
    }

    @Test
    void aCallThatEndsAtOnceSchedulesNothing() {
        primary.reply("now");
        assertThat(bot.ask("q").content()).isEqualTo("now");
        assertThat(delaysMillis).isEmpty();
    }
}
