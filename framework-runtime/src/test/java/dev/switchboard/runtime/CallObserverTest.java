package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Model;
import dev.switchboard.api.Retry;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.spi.ChatResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallObserverTest {

    @Model("p/m")
    interface Bot {
        @UserMessage("{{q}}")
        @Retry(count = 1, onCodes = 503, backoffMillis = 1, maxBackoffMillis = 2)
        String ask(@Var("q") String q);
    }

    private final List<String> events = new CopyOnWriteArrayList<>();

    private CallObserver recording() {
        return start -> {
            events.add("start " + start.variant().deployment() + " " + start.request().messages().get(0).text());
            return new CallObserver.Call() {
                @Override
                public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
                    events.add("attempt " + number + " " + provider + "/" + model);
                    return new CallObserver.AttemptWatch() {
                        @Override
                        public AutoCloseable enter() {
                            events.add("enter");
                            return () -> events.add("exit");
                        }

                        @Override
                        public void end(Attempt attempt, ChatResponse response, Throwable error) {
                            events.add("end " + attempt.outcome() + " " + attempt.statusCode());
                        }
                    };
                }

                @Override
                public void success(CallResult result) {
                    events.add("success " + result.attempts().size());
                }

                @Override
                public void failure(Throwable error, List<Attempt> attempts) {
                    events.add("failure " + error.getClass().getSimpleName() + " " + attempts.size());
                }
            };
        };
    }

    @Test
    void seesEveryAttemptAndTheOutcome() {
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted } }").observer(recording()).build()) {
            ScriptedProvider.BY_NAME.get("p").fail(503).reply("ok");
            assertThat(sb.create(Bot.class).ask("hi")).isEqualTo("ok");
        }
        assertThat(events).containsExactly("start Bot.ask hi", "attempt 1 p/m", "enter", "exit", "end FAILURE 503",
                "attempt 2 p/m", "enter", "exit", "end SUCCESS 200", "success 2");
    }

    @Test
    void everyObserverThatWatchesAttemptsSeesThemAndTheirScopesCloseInReverse() {
        CallObserver outcomeOnly = start -> new CallObserver.Call() { // watches no attempt, as the call log
            @Override
            public void success(CallResult result) {
                events.add("outcome-only success");
            }
        };
        CallObserver second = start -> new CallObserver.Call() {
            @Override
            public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
                return new CallObserver.AttemptWatch() {
                    @Override
                    public AutoCloseable enter() {
                        events.add("second enter");
                        return () -> events.add("second exit");
                    }

                    @Override
                    public void end(Attempt attempt, ChatResponse response, Throwable error) {
                        events.add("second end " + attempt.outcome());
                    }
                };
            }
        };
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted } }")
                .observer(recording()).observer(outcomeOnly).observer(second).build()) {
            ScriptedProvider.BY_NAME.get("p").reply("ok");
            assertThat(sb.create(Bot.class).ask("hi")).isEqualTo("ok");
        }
        assertThat(events).containsExactly("start Bot.ask hi", "attempt 1 p/m", "enter", "second enter", "second exit", "exit",
                "end SUCCESS 200", "second end SUCCESS", "success 1", "outcome-only success");
        events.clear();
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted } }").observer(outcomeOnly).observer(recording()).build()) {
            ScriptedProvider.BY_NAME.get("p").reply("ok");
            assertThat(sb.create(Bot.class).ask("hi")).isEqualTo("ok");
        }
        assertThat(events).containsExactly("start Bot.ask hi", "attempt 1 p/m", "enter", "exit", "end SUCCESS 200",
                "outcome-only success", "success 1");
    }

    @Test
    void seesFailures() {
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted } }").observer(recording()).build()) {
            ScriptedProvider.BY_NAME.get("p").fail(400);
            assertThatThrownBy(() -> sb.create(Bot.class).ask("hi")).isInstanceOf(AllAttemptsFailedException.class);
        }
        assertThat(events).last().isEqualTo("failure AllAttemptsFailedException 1");
    }

    @Test
    void aFailingObserverNeverFailsTheCall() {
        CallObserver broken = start -> new CallObserver.Call() {
            @Override
            public void success(CallResult result) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
                throw new IllegalStateException("observer bug");
            }
        };
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted } }").observer(broken).observer(recording()).build()) {
            ScriptedProvider.BY_NAME.get("p").reply("fine");
            assertThat(sb.create(Bot.class).ask("hi")).isEqualTo("fine");
        }
        assertThat(events).contains("success 1");
    }

    @Test
    void seesCircuitBreakerTransitions() {
        List<String> transitions = new CopyOnWriteArrayList<>();
        CallObserver breakerWatcher = new CallObserver() {
            @Override
            public Call start(CallStart start) {
                return Call.NOOP;
            }

            @Override
            public void breakerTransition(String provider, String from, String to) {
                transitions.add(provider + " " + from + "->" + to);
            }
        };
        try (Switchboard sb = Fixtures.builder("providers: { p: { type: scripted, circuit_breaker: { failure_threshold: 2, failure_window: 2, delay: 1m } } }")
                .observer(breakerWatcher).build()) {
            ScriptedProvider.BY_NAME.get("p").fail(503).fail(503).fail(503).fail(503);
            Bot bot = sb.create(Bot.class);
            assertThatThrownBy(() -> bot.ask("a")).isInstanceOf(AllAttemptsFailedException.class);
        }
        assertThat(transitions).containsExactly("p CLOSED->OPEN");
    }
}
