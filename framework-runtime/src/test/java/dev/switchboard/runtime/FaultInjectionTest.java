package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Model;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.telemetry.Await;
import dev.switchboard.testkit.Behavior;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every testkit fault, for plain and streamed calls, with no policy, with a retry and with a fallback:
 * the caller gets the right answer exactly once or a clean typed exception, never a partial answer
 * reported as success, never duplicated stream text, never a hang past the timeout.
 */
class FaultInjectionTest {

    @Model("primary/m")
    interface Bot {
        @UserMessage("{{q}}")
        Completion<String> ask(@Var("q") String q);

        @UserMessage("{{q}}")
        Stream<String> stream(@Var("q") String q);

        @UserMessage("{{q}}")
        CompletableFuture<Completion<String>> askAsync(@Var("q") String q);
    }

    private final FakeLlmServer primary = FakeLlmServer.start();
    private final FakeLlmServer backup = FakeLlmServer.start();
    private final Map<String, Integer> recordsPerCall = new ConcurrentHashMap<>();
    private final List<Switchboard> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Switchboard::close);
        primary.close();
        backup.close();
    }

    private Bot bot(String policy) {
        Switchboard sb = Fixtures.builder("""
                providers:
                  primary: { type: openai, base_url: "%s", api_key: k, request_timeout: 400ms, circuit_breaker: { enabled: false } }
                  backup:  { type: openai, base_url: "%s", api_key: k }
                deployments:
                  Bot.ask:      { timeout: 3s %s }
                  Bot.stream:   { timeout: 3s %s }
                  Bot.askAsync: { timeout: 5s %s }
                """.formatted(primary.baseUrl(), backup.baseUrl(), policy, policy, policy))
                .observer(start -> new CallObserver.Call() {
                    @Override
                    public void success(CallResult r) {
                        recordsPerCall.merge(r.callId(), 1, Integer::sum);
                    }

                    @Override
                    public void failure(Throwable e, List<Attempt> attempts) {
                        recordsPerCall.merge(start.callId(), 1, Integer::sum);
                    }
                }).build();
        opened.add(sb);
        return sb.create(Bot.class);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("connection reset", Fault.connectionReset(), ProviderCallException.Kind.CONNECTION),
                Arguments.of("close without answer", Fault.closeWithoutAnswer(), ProviderCallException.Kind.CONNECTION),
                Arguments.of("malformed JSON", Fault.malformedJson(), ProviderCallException.Kind.MALFORMED_RESPONSE),
                Arguments.of("body cut halfway", Fault.bodyCutHalfway(), null),
                Arguments.of("stall", Fault.stall(), ProviderCallException.Kind.TIMEOUT),
                Arguments.of("HTTP 503", Reply.status(503), ProviderCallException.Kind.HTTP_STATUS));
    }

    @ParameterizedTest(name = "plain, no policy: {0}")
    @MethodSource("faults")
    void plainWithoutPolicyFailsCleanly(String name, Behavior fault, ProviderCallException.Kind kind) {
        primary.enqueue(fault);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> bot("").ask("q"))
                .isInstanceOf(AllAttemptsFailedException.class)
                .satisfies(e -> {
                    assertThat(e.getCause()).isInstanceOf(ProviderCallException.class);
                    if (kind != null) {
                        assertThat(((ProviderCallException) e.getCause()).kind()).isEqualTo(kind);
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @ParameterizedTest(name = "plain, retry: {0}")
    @MethodSource("faults")
    void plainWithRetryAnswersOnce(String name, Behavior fault, ProviderCallException.Kind kind) {
        primary.enqueue(fault, Reply.text("the answer"));
        Completion<String> c = bot(", retry: { count: 1, backoff: 1ms }").ask("q");
        assertThat(c.content()).isEqualTo("the answer");
        assertThat(c.attempts()).hasSize(2);
    }

    @ParameterizedTest(name = "plain, fallback: {0}")
    @MethodSource("faults")
    void plainWithFallbackAnswersFromTheBackup(String name, Behavior fault, ProviderCallException.Kind kind) {
        primary.enqueue(fault);
        backup.enqueue(Reply.text("backup answer"));
        Completion<String> c = bot(", fallbacks: [backup/m]").ask("q");
        assertThat(c.content()).isEqualTo("backup answer");
        assertThat(c.provider()).isEqualTo("backup");
    }

    @ParameterizedTest(name = "stream before output, retry: {0}")
    @MethodSource("faults")
    void streamFaultBeforeOutputIsRetried(String name, Behavior fault, ProviderCallException.Kind kind) {
        primary.enqueue(fault, Reply.chunks("one", " two"));
        try (Stream<String> s = bot(", retry: { count: 1, backoff: 1ms }").stream("q")) {
            assertThat(s.collect(Collectors.joining())).isEqualTo("one two");
        }
    }

    @Test
    void streamCutAfterOutputIsAnErrorEvenWithRetryAndFallback() {
        primary.enqueue(Fault.streamCutAfter(2).source(Reply.chunks("a", "b", "c")), Reply.chunks("x"));
        backup.enqueue(Reply.chunks("y"));
        StringBuilder seen = new StringBuilder();
        Bot bot = bot(", retry: { count: 2, backoff: 1ms }, fallbacks: [backup/m]");
        assertThatThrownBy(() -> {
            try (Stream<String> s = bot.stream("q")) {
                s.forEach(seen::append);
            }
        }).isInstanceOf(ProviderCallException.class)
                .satisfies(e -> assertThat(((ProviderCallException) e).kind()).isEqualTo(ProviderCallException.Kind.STREAM_INTERRUPTED));
        assertThat(seen.toString()).isEqualTo("ab");
        assertThat(primary.requests()).hasSize(1);
        assertThat(backup.requests()).isEmpty();
    }

    @Test
    void streamStallAfterOutputTimesOutWithoutDuplicates() {
        primary.enqueue(Reply.chunks("a", "b").chunkDelay(Duration.ofSeconds(30)));
        StringBuilder seen = new StringBuilder();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> {
            try (Stream<String> s = bot(", retry: { count: 2, backoff: 1ms }").stream("q")) {
                s.forEach(seen::append);
            }
        }).isInstanceOfAny(ProviderCallException.class, CallTimeoutException.class);
        assertThat(seen.toString()).isEqualTo("a");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void hundredsOfConcurrentCallsWithFortyPercentFaultsAreEachAnsweredOnceWithTheirOwnReply() throws Exception {
        primary.randomFaults(0.4, 7L, Reply.status(503), Fault.connectionReset(), Fault.malformedJson());
        Bot bot = bot(", retry: { count: 1, backoff: 1ms }, fallbacks: [backup/m]");
        int n = 300;
        List<CompletableFuture<Completion<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(bot.askAsync("question-" + i));
        }
        AtomicInteger retried = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Completion<String> c = calls.get(i).get(30, TimeUnit.SECONDS);
            assertThat(c.content()).isEqualTo("question-" + i);
            if (c.attempts().size() > 1) {
                retried.incrementAndGet();
            }
        }
        assertThat(retried.get()).isGreaterThan(n / 5);
        // an observer hears of a call's end on the completing thread, just after (not before) the caller's future
        // completes: give the last calls' observers that moment
        Await.until(() -> recordsPerCall.size() >= n);
        assertThat(recordsPerCall).hasSize(n);
        assertThat(recordsPerCall.values()).containsOnly(1);
    }
}
