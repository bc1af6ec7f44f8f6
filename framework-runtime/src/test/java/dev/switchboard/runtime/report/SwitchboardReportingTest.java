package dev.switchboard.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Completion;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.deploy.Greeter;
import dev.switchboard.runtime.telemetry.OtelHarness;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Switchboard.Builder.reportTo}: the engine's calls and {@code Switchboard.feedback} reach the gateway. */
class SwitchboardReportingTest {
    static final String KEY = "ingest-key-abcdef";
    @TempDir
    Path dir;
    StubGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = new StubGateway(KEY);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    Switchboard.Builder builder() {
        return Switchboard.builder().classpathConfig(null).configYaml("providers: { mock: { type: mock } }");
    }

    ReportSettings.Builder settings() {
        return ReportSettings.builder(gw.uri(), KEY, "billing").instance("web-1").spillDir(dir).flushInterval(Duration.ofMillis(50));
    }

    @Test
    void callsAreReportedWithTheOriginAndWithoutContentsByDefault() throws Exception {
        try (OtelHarness otel = new OtelHarness(); Switchboard sb = builder().reportTo(settings().build()).openTelemetry(otel.sdk).build()) {
            Completion<String> c = sb.create(Greeter.class).hi("Ada", "gold");
            assertThat(sb.reporter()).isPresent();
            assertThat(sb.reporter().get().flush(Duration.ofSeconds(10))).isTrue();
            JsonNode r = gw.stored.get(c.callId());
            assertThat(r).isNotNull();
            assertThat(r.get("origin").asText()).isEqualTo("billing/web-1");
            assertThat(r.get("deployment").asText()).isEqualTo("greet");
            assertThat(r.get("context").get("plan").asText()).isEqualTo("gold");
            assertThat(r.has("request_messages")).isFalse();
            assertThat(r.has("reply")).isFalse();
            MetricData dropped = otel.metrics.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("switchboard.report.dropped")).findFirst().orElseThrow();
            assertThat(dropped.getLongSumData().getPoints()).singleElement().satisfies(p -> assertThat(p.getValue()).isZero());

            sb.feedback(c.callId()).thumbsDown().score(1).comment("wrong answer").tags("greeting").send();
            JsonNode f = gw.feedback.get(0);
            assertThat(f.get("call_id").asText()).isEqualTo(c.callId());
            assertThat(f.get("thumbs").asText()).isEqualTo("down");
            assertThat(f.get("source").asText()).isEqualTo("billing/web-1");
            assertThat(f.get("tags").get(0).asText()).isEqualTo("greeting");
        }
    }

    @Test
    void contentsAreReportedRedactedWhenEnabled() {
        ReportSettings s = settings().logContent(true).redact("Ada", "[NAME]").build();
        try (Switchboard sb = builder().reportTo(s).build()) {
            Completion<String> c = sb.create(Greeter.class).hi("Ada", "gold");
            assertThat(sb.reporter().orElseThrow().flush(Duration.ofSeconds(10))).isTrue();
            JsonNode r = gw.stored.get(c.callId());
            assertThat(r.get("request_messages").get(0).get("content").asText()).isEqualTo("code [NAME]");
            assertThat(r.get("reply").asText()).contains("[NAME]").doesNotContain("Ada");
        }
    }

    @Test
    void feedbackIsValidatedAndNeedsSomewhereToGo() {
        try (Switchboard sb = builder().build()) {
            assertThatThrownBy(() -> sb.feedback("c1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("reportTo");
        }
        try (Switchboard sb = builder().reportTo(settings().build()).build()) {
            assertThatThrownBy(() -> sb.feedback("c1").send()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("score");
            assertThatThrownBy(() -> sb.feedback("c1").score(Double.NaN).send()).hasMessageContaining("finite");
            assertThatThrownBy(() -> sb.feedback("c1").thumbsUp().tags("ok", " ").send()).hasMessageContaining("tags[1]");
            assertThat(gw.feedback).isEmpty();
        }
    }
}
