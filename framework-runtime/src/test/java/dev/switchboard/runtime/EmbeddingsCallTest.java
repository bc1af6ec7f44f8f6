package dev.switchboard.runtime;

import static dev.switchboard.runtime.telemetry.OtelHarness.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.CallTimeoutException;
import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import dev.switchboard.runtime.calllog.MessageRecord;
import dev.switchboard.runtime.calllog.ModelPrice;
import dev.switchboard.runtime.calllog.PriceTable;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.telemetry.Await;
import dev.switchboard.runtime.telemetry.GenAi;
import dev.switchboard.runtime.telemetry.OtelHarness;
import dev.switchboard.runtime.telemetry.ScriptProvider;
import dev.switchboard.spi.EmbeddingRequest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Embeddings calls through the engine ({@code Engine.embed}): policies, spans and metrics, and the call log. */
class EmbeddingsCallTest {
    static final String YAML = """
            providers:
              p: { type: script }
              q: { type: script }
            deployments:
              vectors:
                model: p/e
                retry: { count: 1, on_codes: [503], backoff: 1ms, max_backoff: 2ms }
                fallbacks: [q/e2]
              slow:
                model: p/e
                timeout: 100ms
            """;

    private final OtelHarness otel = new OtelHarness();
    private final InMemoryCallLogStore store = new InMemoryCallLogStore(100);

    @AfterEach
    void close() {
        otel.close();
    }

    private Switchboard switchboard() {
        CallLog log = CallLog.builder(store).prices(PriceTable.of(Map.of("e", ModelPrice.of(0.5, 0.0, null)))).build();
        return ScriptProvider.builder(YAML).openTelemetry(otel.sdk).callLog(log).build();
    }

    private static Invocation vectors() {
        return Invocation.builder("vectors").context(Map.of("tier", "gold")).metadata(Map.of("user", "u-7")).build();
    }

    private static EmbeddingRequest request(String... inputs) {
        return new EmbeddingRequest("ignored", List.of(inputs), null);
    }

    private CallRecord only() {
        Await.until(() -> store.size() == 1);
        return store.records().get(0);
    }

    @Test
    void aRetriedEmbeddingsCallIsTracedMeasuredAndLoggedAndNeverFallsBack() {
        try (Switchboard sb = switchboard()) {
            ScriptProvider.get("p").fail(503).reply("ok");
            EmbeddingsResult r = sb.engine().embed(vectors(), request("hello", "mail ann@example.com")).join();

            assertThat(r.answeredBy().toString()).isEqualTo("p/e");
            assertThat(r.response().vectors()).hasSize(2);
            assertThat(r.response().model()).isEqualTo("e-v1");
            assertThat(r.attempts()).extracting(a -> a.provider(), a -> a.statusCode()).containsExactly(tuple("p", 503), tuple("p", 200));
            assertThat(ScriptProvider.get("p").embedRequests).extracting(EmbeddingRequest::model).containsExactly("e", "e");
            assertThat(ScriptProvider.get("q").embedRequests).as("fallbacks do not apply to embeddings").isEmpty();

            SpanData span = otel.span("embeddings e");
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attr(span, GenAi.OPERATION_NAME)).isEqualTo("embeddings");
            assertThat(attr(span, GenAi.PROVIDER_NAME)).isEqualTo("script");
            assertThat(attr(span, GenAi.RESPONSE_MODEL)).isEqualTo("e-v1");
            assertThat(attr(span, GenAi.USAGE_INPUT_TOKENS)).isEqualTo(14L);
            assertThat(attr(span, GenAi.DEPLOYMENT)).isEqualTo("vectors");
            assertThat(attr(span, GenAi.ATTEMPTS)).isEqualTo(2L);
            assertThat(otel.spansStartingWith("attempt p/e"))
                    .allSatisfy(a -> assertThat(a.getParentSpanId()).isEqualTo(span.getSpanId()))
                    .extracting(a -> attr(a, GenAi.ATTEMPT_KIND)).containsExactlyInAnyOrder("first", "retry");

            CallRecord rec = only();
            assertThat(rec.id()).isEqualTo(r.callId());
            assertThat(rec.traceId()).isEqualTo(span.getTraceId());
            assertThat(rec.deployment()).isEqualTo("vectors");
            assertThat(rec.status()).isEqualTo(CallRecord.Status.SUCCESS);
            assertThat(rec.provider()).isEqualTo("p");
            assertThat(rec.model()).isEqualTo("e");
            assertThat(rec.responseModel()).isEqualTo("e-v1");
            assertThat(rec.attempts()).extracting(AttemptRecord::outcome, AttemptRecord::status)
                    .containsExactly(tuple("failure", 503), tuple("success", 200));
            assertThat(rec.inputTokens()).isEqualTo(14);
            assertThat(rec.outputTokens()).isZero();
            assertThat(rec.costUsd()).isEqualByComparingTo("0.000007"); // 14 tokens at 0.5 USD per million
            assertThat(rec.context()).containsEntry("tier", "gold");
            assertThat(rec.metadata()).containsEntry("user", "u-7");
            assertThat(rec.requestMessages()).extracting(MessageRecord::role).containsOnly("input");
            assertThat(rec.requestMessages()).extracting(MessageRecord::content).first().isEqualTo("hello");
            assertThat(rec.requestMessages().get(1).content()).doesNotContain("ann@example.com");
            assertThat(rec.reply()).isNull();
        }
        Collection<MetricData> metrics = otel.metrics.collectAllMetrics();
        HistogramPointData duration = points(metrics, "gen_ai.client.operation.duration").get(0);
        assertThat(duration.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo("embeddings");
        assertThat(duration.getAttributes().get(GenAi.RESPONSE_MODEL)).isEqualTo("e-v1");
        HistogramPointData tokens = points(metrics, "gen_ai.client.token.usage").get(0);
        assertThat(tokens.getAttributes().get(GenAi.TOKEN_TYPE)).isEqualTo("input");
        assertThat(tokens.getSum()).isEqualTo(14.0);
        assertThat(metrics.stream().filter(m -> m.getName().equals("switchboard.client.retries"))
                .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(LongPointData::getValue).sum()).isEqualTo(1);
    }

    @Test
    void aRefusedEmbeddingsCallFailsOnceAndIsLoggedAsAnError() {
        try (Switchboard sb = switchboard()) {
            ScriptProvider.get("p").fail(400, "input too long");
            assertThatThrownBy(() -> sb.engine().embed(vectors(), request("x")).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(AllAttemptsFailedException.class)
                    .hasMessageContaining("input too long");
            CallRecord rec = only();
            assertThat(rec.status()).isEqualTo(CallRecord.Status.ERROR);
            assertThat(rec.provider()).isEqualTo("p");
            assertThat(rec.attempts()).extracting(AttemptRecord::status).containsExactly(400);
            assertThat(rec.errorMessage()).contains("input too long");
            SpanData span = otel.span("embeddings e");
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        }
    }

    @Test
    void anEmbeddingsCallPastItsTimeoutFailsAndCancelsTheProviderCall() {
        try (Switchboard sb = switchboard()) {
            ScriptProvider p = ScriptProvider.get("p").hang();
            assertThatThrownBy(() -> sb.engine().embed(Invocation.builder("slow").build(), request("x")).join())
                    .cause().isInstanceOf(CallTimeoutException.class).hasMessageContaining("timed out after 100 ms waiting on p/e");
            assertThat(p.hung).hasSize(1);
            assertThat(p.hung.get(0)).isCancelled();
            assertThat(only().errorType()).isEqualTo(CallTimeoutException.class.getName());
        }
    }

    private static List<HistogramPointData> points(Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).flatMap(m -> m.getHistogramData().getPoints().stream()).toList();
    }
}
