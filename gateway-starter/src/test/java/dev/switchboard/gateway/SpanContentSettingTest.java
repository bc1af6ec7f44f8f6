package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigException;
import dev.switchboard.testkit.Reply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gateway.telemetry.capture_content}: message contents go on the call spans only when the configuration says so. */
class SpanContentSettingTest {
    private static final AttributeKey<String> INPUT = AttributeKey.stringKey("gen_ai.input.messages");
    private static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("gen_ai.output.messages");

    private static SpanData callSpan(String telemetrySection) throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
             LogsFixture fx = LogsFixture.start(LogsFixture.inMemory(telemetrySection), otel)) {
            fx.fake.enqueue(Reply.text("the parcel left on Monday"));
            assertThat(fx.post("/v1/chat/completions", """
                    {"model": "fake/gpt-4o", "messages": [{"role": "user", "content": "where is parcel 7?"}]}""", Map.of())
                    .statusCode()).isEqualTo(200);
            assertThat(LogsFixture.eventually(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT))).isTrue();
            return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        }
    }

    @Test
    void contentsStayOffSpansByDefault() throws Exception {
        SpanData span = callSpan(null);
        assertThat(span.getAttributes().get(INPUT)).isNull();
        assertThat(span.getAttributes().get(OUTPUT)).isNull();
    }

    @Test
    void contentsGoOnSpansWhenTheConfigurationSwitchesThemOn() throws Exception {
        SpanData span = callSpan("  telemetry:\n    capture_content: true\n");
        assertThat(span.getAttributes().get(INPUT)).contains("where is parcel 7?");
        assertThat(span.getAttributes().get(OUTPUT)).contains("the parcel left on Monday");
    }

    @Test
    void aBadValueNamesItsPath() {
        assertThatThrownBy(() -> LogsFixture.start(LogsFixture.inMemory("  telemetry:\n    capture_content: sometimes\n")).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.telemetry.capture_content");
        assertThatThrownBy(() -> LogsFixture.start(LogsFixture.inMemory("  telemetry:\n    content: true\n")).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.telemetry.content").hasMessageContaining("unknown key");
    }
}
