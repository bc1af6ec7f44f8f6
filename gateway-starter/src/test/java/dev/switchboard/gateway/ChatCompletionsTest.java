package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/chat/completions} end to end: the OpenAI SDK → gateway → openai provider → fake LLM server. */
class ChatCompletionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.fake.reset();
    }

    private static ChatCompletionCreateParams.Builder params(String model, String user) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(user);
    }

    @Test
    void directCallWithProviderModelReference() {
        fx.fake.enqueue(Reply.text("Hello from the fake"));
        ChatCompletion c = fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi").temperature(0.5).build());

        assertThat(c.choices().get(0).message().content()).hasValue("Hello from the fake");
        assertThat(c.usage()).isPresent();
        RecordedRequest upstream = fx.fake.takeRequest(Duration.ofSeconds(1));
        assertThat(upstream.path()).isEqualTo("/v1/chat/completions");
        assertThat(upstream.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(upstream.json().path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(upstream.header("authorization")).isEqualTo("Bearer " + GatewayFixture.FAKE_KEY);
    }

    @Test
    void deploymentCallPutsRequestMessagesAfterTheDeploymentsAndRendersInputs() throws Exception {
        ChatCompletion c = fx.openai.chat().completions().create(params("support", "Where is my parcel?")
                .putAdditionalBodyProperty("inputs", JsonValue.from(Map.of("company", "ACME")))
                .putAdditionalBodyProperty("metadata", JsonValue.from(Map.of("team", "search", "ticket", "42")))
                .build());

        assertThat(c.choices().get(0).message().content()).hasValue("Where is my parcel?"); // the fake echoes
        JsonNode sent = fx.fake.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(sent.path("messages")).hasSize(2);
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("You answer for ACME. Be brief.");
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("Where is my parcel?");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.has("inputs") || sent.has("metadata")).as("extensions are not forwarded").isFalse();
    }

    @Test
    void responseHeadersSayWhoAnswered() throws Exception {
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"support\",\"inputs\":{\"company\":\"ACME\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-call-id")).get().asString().startsWith("call_");
        assertThat(r.headers().firstValue("x-switchboard-deployment")).hasValue("support");
        assertThat(r.headers().firstValue("x-switchboard-variant")).hasValue("default");
        assertThat(r.headers().firstValue("x-switchboard-version")).isPresent();
        assertThat(r.headers().firstValue("x-switchboard-provider")).hasValue("fake");
        assertThat(r.headers().firstValue("x-switchboard-attempts")).hasValue("1");
    }

    @Test
    void streamsChunksThenUsageThenDone() {
        fx.fake.enqueue(Reply.chunks("Hel", "lo", " world"));
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = fx.openai.chat().completions().createStreaming(params("fake/gpt-4o-mini", "Hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = s.stream().collect(Collectors.toList());
        }
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));

        assertThat(text).hasToString("Hello world");
        assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
        assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
        assertThat(fx.fake.takeRequest(Duration.ofSeconds(1)).json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void streamWithoutIncludeUsageSendsNoUsageChunk() throws Exception {
        fx.fake.enqueue(Reply.text("a b"));
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"fake/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
        assertThat(r.body().split("\n\n")).allMatch(e -> e.startsWith("data: "));
    }

    @Test
    void retriesAreVisibleInTheUpstreamLog() throws Exception {
        fx.fake.enqueue(Reply.status(503), Reply.text("second time lucky"));
        HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\":\"fake/gpt-4o-mini\","
                + "\"retry\":{\"count\":2,\"on_codes\":[503],\"backoff\":\"10ms\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").asText()).isEqualTo("second time lucky");
        assertThat(r.headers().firstValue("x-switchboard-attempts")).hasValue("2");
        assertThat(fx.fake.requests()).hasSize(2);
    }

    @Test
    void fallbacksAreTriedInOrder() {
        fx.fake.enqueue(Reply.status(500), Reply.text("from the fallback"));
        ChatCompletion c = fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi")
                .putAdditionalBodyProperty("fallbacks", JsonValue.from(List.of("backup/gpt-4o"))).build());

        assertThat(c.choices().get(0).message().content()).hasValue("from the fallback");
        List<RecordedRequest> log = fx.fake.requests();
        assertThat(log).extracting(q -> q.json().path("model").asText()).containsExactly("gpt-4o-mini", "gpt-4o");
        assertThat(log.get(1).header("authorization")).isEqualTo("Bearer " + GatewayFixture.BACKUP_KEY);
    }

    @Test
    void deploymentPoliciesRetryThenFallBack() throws Exception {
        fx.fake.enqueue(Reply.status(503).times(3), Reply.text("backup answer"));
        HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-switchboard-provider")).hasValue("backup");
        assertThat(r.headers().firstValue("x-switchboard-attempts")).hasValue("4");
        assertThat(fx.fake.requests()).extracting(q -> q.json().path("model").asText())
                .containsExactly("gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", "gpt-4o");
    }

    @Test
    void unknownModelIsNotFound() {
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("nope/gpt-4o", "Hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown provider 'nope'");
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("no-such-deployment", "Hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("neither a configured deployment");
        assertThat(fx.fake.requestCount()).isZero();
    }

    @Test
    void badFieldsAreBadRequestsNamingTheField() {
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi").temperature(7.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("temperature"));
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("support", "Hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("inputs.company"));
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi")
                .putAdditionalBodyProperty("metadata", JsonValue.from(Map.of("k", "x".repeat(600)))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("metadata.k"));
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi")
                .putAdditionalBodyProperty("fallbacks", JsonValue.from(List.of("ghost/m"))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("fallbacks[0]"));
        assertThat(fx.fake.requestCount()).isZero();
    }

    @Test
    void badMessageNamesItsPath() throws Exception {
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"fake/m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"robot\",\"content\":\"b\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("param").asText()).isEqualTo("messages[1].role");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void providerFailureIsBadGatewayNamingTheProviderWithoutSecrets() {
        fx.fake.enqueue(Reply.status(500).errorMessage("the upstream broke"));
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("fake/gpt-4o-mini").contains("500").contains("the upstream broke")
                            .doesNotContain(GatewayFixture.FAKE_KEY);
                });
    }

    @Test
    void allAttemptsRateLimitedIs429() {
        fx.fake.enqueue(Reply.status(429).errorCode("rate_limit_exceeded"));
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi").build()))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void callTimeoutIs504() {
        fx.fake.enqueue(Reply.text("too late").latency(Duration.ofSeconds(3)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fx.openai.chat().completions().create(params("fake/gpt-4o-mini", "Hi")
                .putAdditionalBodyProperty("timeout", JsonValue.from("300ms")).build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(504));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void callTimeoutNamesTheProviderItWaitedOn() throws Exception {
        fx.fake.enqueue(Reply.text("too late").latency(Duration.ofSeconds(3)));
        HttpResponse<String> r = fx.post("/v1/chat/completions",
                "{\"model\":\"fake/gpt-4o-mini\",\"timeout\":\"300ms\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("timed out after 300 ms waiting on fake/gpt-4o-mini");
    }

    @Test
    void openCircuitIs503() throws Exception {
        fx.fake.enqueue(Reply.status(500));
        String body = "{\"model\":\"fragile/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(fx.post("/v1/chat/completions", body).statusCode()).isEqualTo(502);
        HttpResponse<String> r = fx.post("/v1/chat/completions", body);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("circuit_open");
        assertThat(fx.fake.requestCount()).isEqualTo(1);
        JsonNode health = JSON.readTree(fx.get("/health").body());
        assertThat(health.at("/providers/fragile/circuit_breaker").asText()).isEqualTo("OPEN");
    }

    @Test
    void mockProviderAnswersWithoutNetwork() {
        ChatCompletion c = fx.openai.chat().completions().create(params("mock/anything", "ping").build());
        assertThat(c.choices().get(0).message().content()).hasValue("echo: ping");
        assertThat(fx.fake.requestCount()).isZero();
    }
}
