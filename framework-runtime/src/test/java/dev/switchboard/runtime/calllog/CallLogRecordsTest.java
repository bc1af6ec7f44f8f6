package dev.switchboard.runtime.calllog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.CallObserver;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.telemetry.Await;
import dev.switchboard.runtime.telemetry.OtelHarness;
import dev.switchboard.runtime.telemetry.ScriptProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records the engine's calls produce. */
class CallLogRecordsTest {
    static final String KEY = "pk-live-7f3a9c2e51d04b";
    static final String YAML = """
            providers:
              p: { type: script, api_key: "%s" }
              q: { type: script }
            deployments:
              greet:
                model: p/m
                messages: [{ role: user, content: "Hello {{name}}, mail {{mail}}" }]
                retry: { count: 1, on_codes: [503], backoff: 1ms, max_backoff: 2ms }
                fallbacks: [q/m2]
            """.formatted(KEY);

    private final InMemoryCallLogStore store = new InMemoryCallLogStore(100);

    private static Invocation greet() {
        return Invocation.builder("greet").variables(Map.of("name", "Ann", "mail", "ann@example.com"))
                .context(Map.of("tier", "gold")).metadata(Map.of("user", "u-7", "note", "key " + KEY)).build();
    }

    private CallRecord only() {
        Await.until(() -> store.size() == 1);
        return store.records().get(0);
    }

    @Test
    void aSuccessfulCallWithRetryAndFallbackIsRecordedWithTraceIdsTokensAndCost() {
        CallLog log = CallLog.builder(store).origin("billing@host-1")
                .prices(PriceTable.of(Map.of("m2", ModelPrice.of(2.0, 8.0, 0.5)))).build();
        try (OtelHarness otel = new OtelHarness(); Switchboard sb = ScriptProvider.builder(YAML).openTelemetry(otel.sdk).callLog(log).build()) {
            ScriptProvider.get("p").fail(503).fail(503);
            ScriptProvider.get("q").reply("Hi Ann");
            CallResult result = sb.engine().call(greet()).join();
            CallRecord r = only();
            SpanData callSpan = otel.span("chat m");
            assertThat(r.id()).isEqualTo(result.callId());
            assertThat(r.traceId()).isEqualTo(callSpan.getTraceId());
            assertThat(r.spanId()).isEqualTo(callSpan.getSpanId());
            assertThat(r.origin()).isEqualTo("billing@host-1");
            assertThat(r.deployment()).isEqualTo("greet");
            assertThat(r.variant()).isEqualTo("default");
            assertThat(r.version()).isEqualTo(result.version());
            assertThat(r.status()).isEqualTo(CallRecord.Status.SUCCESS);
            assertThat(r.provider()).isEqualTo("q");
            assertThat(r.model()).isEqualTo("m2");
            assertThat(r.responseModel()).isEqualTo("m2-2025");
            assertThat(r.attempts()).extracting(AttemptRecord::provider, AttemptRecord::outcome, AttemptRecord::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("p", "failure", 503),
                            org.assertj.core.groups.Tuple.tuple("p", "failure", 503),
                            org.assertj.core.groups.Tuple.tuple("q", "success", 200));
            assertThat(r.inputTokens()).isEqualTo(30);
            assertThat(r.outputTokens()).isEqualTo(12);
            assertThat(r.cachedTokens()).isEqualTo(10);
            // (20 * 2.0 + 10 * 0.5 + 12 * 8.0) / 1M
            assertThat(r.costUsd()).isEqualByComparingTo("0.000141");
            assertThat(r.latencyMs()).isEqualTo(result.latency().toMillis());
            assertThat(r.startedAt()).isEqualTo(result.startedAt());
            assertThat(r.finishReason()).isEqualTo("stop");
            assertThat(r.timeToFirstTokenMs()).isNull();
            assertThat(r.context()).containsEntry("tier", "gold");
            assertThat(r.metadata()).containsEntry("user", "u-7");
            assertThat(r.requestMessages()).singleElement().satisfies(m -> {
                assertThat(m.role()).isEqualTo("user");
                assertThat(m.content()).isEqualTo("Hello Ann, mail [EMAIL]");
            });
            assertThat(r.reply()).isEqualTo("Hi Ann");
        }
    }

    @Test
    void aFailedCallIsRecordedWithItsErrorAndNoApiKeyAnywhere() {
        try (Switchboard sb = ScriptProvider.builder(YAML).callLog(CallLog.builder(store).build()).build()) {
            ScriptProvider.get("p").fail(401, "invalid api key " + KEY + " for user ann@example.com");
            ScriptProvider.get("q").fail(400, "bad request, key " + KEY);
            assertThatThrownBy(() -> sb.engine().call(greet()).join()).isInstanceOf(java.util.concurrent.CompletionException.class);
            CallRecord r = only();
            assertThat(r.status()).isEqualTo(CallRecord.Status.ERROR);
            assertThat(r.errorType()).isEqualTo("400");
            assertThat(r.errorMessage()).isNotBlank();
            assertThat(r.provider()).isEqualTo("q");
            assertThat(r.attempts()).extracting(AttemptRecord::error)
                    .containsExactly("p answered HTTP 401: invalid api key **** for user [EMAIL]", "q answered HTTP 400: bad request, key ****");
            assertThat(r.reply()).isNull();
            assertThat(r.traceId()).isNull();
            String json = CallRecordJson.write(r);
            assertThat(json).doesNotContain(KEY).doesNotContain("ann@example.com");
            assertThat(r.metadata()).containsEntry("note", "key ****");
        }
    }

    @Test
    void contentLoggingCanBeSwitchedOff() {
        try (Switchboard sb = ScriptProvider.builder(YAML).callLog(CallLog.builder(store).logContent(false).build()).build()) {
            sb.engine().call(greet()).join();
            CallRecord r = only();
            assertThat(r.requestMessages()).isNull();
            assertThat(r.reply()).isNull();
            assertThat(CallRecordJson.write(r)).doesNotContain("request_messages").doesNotContain("Hello Ann");
        }
    }

    @Test
    void streamsRecordTimeToFirstTokenAndWithoutTracingTheCallersTrace() {
        try (OtelHarness otel = new OtelHarness(); Switchboard sb = ScriptProvider.builder(YAML).callLog(CallLog.builder(store).build()).build()) {
            ScriptProvider.get("p").reply("one two");
            Span caller = otel.sdk.getTracer("app").spanBuilder("handler").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                sb.engine().stream(greet(), c -> { }).join();
            } finally {
                caller.end();
            }
            CallRecord r = only();
            assertThat(r.streaming()).isTrue();
            assertThat(r.timeToFirstTokenMs()).isNotNull().isNotNegative();
            assertThat(r.traceId()).isEqualTo(caller.getSpanContext().getTraceId());
        }
    }

    @Test
    void recordsFromElsewhereAreCleanedLikeTheEnginesOwn() {
        CallLog log = CallLog.builder(store).secret("tok-abcdef-123").build();
        try (log) {
            CallRecord outside = CallRecordJsonTest.full().toBuilder().id("call_ext")
                    .reply("mail bob@example.org with tok-abcdef-123").build();
            assertThat(log.record(outside)).isTrue();
            assertThat(log.writer().flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(store.find("call_ext")).get().extracting(CallRecord::reply).isEqualTo("mail [EMAIL] with ****");
        assertThat(store.find("call_ext").get().attempts()).hasSize(2);
        assertThat(List.of(log.droppedCount())).containsExactly(0L);
    }

    @Test
    void touchReadsTheObjectsOfASucceededAndOfAFailedCall() {
        CallLog log = CallLog.builder(store).build();
        List<PendingCall> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallRecordObserver observer = log.observer(() -> null);
        try (log; Switchboard sb = ScriptProvider.builder(YAML).observer(start -> {
                    CallObserver.Call c = observer.start(start);
                    pending.add((PendingCall) c);
                    return c;
                }).build()) {
            ScriptProvider.get("p").reply("Hi Ann");
            sb.engine().call(greet()).join();
            ScriptProvider.get("p").fail(401, "no");
            ScriptProvider.get("q").fail(400, "no");
            assertThatThrownBy(() -> sb.engine().call(greet()).join()).isNotNull();
            Await.until(() -> store.size() == 2);
        }
        assertThat(pending).hasSize(2);
        // "Hello Ann, mail ann@example.com" (31) + "Hi Ann" (6) are among what it reads
        assertThat(pending.get(0).touch()).isGreaterThan(37);
        assertThat(pending.get(1).touch()).isGreaterThan(31);
    }
}
