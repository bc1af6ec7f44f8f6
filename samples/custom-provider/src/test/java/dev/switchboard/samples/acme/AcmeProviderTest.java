package dev.switchboard.samples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Completion;
import dev.switchboard.api.ConfigException;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.ProviderCallException;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code acme} plugin inside the real engine: found on the classpath through
 * {@code META-INF/services} (nothing registers it in code), called over HTTP against a fake ACME endpoint
 * served by the testkit's {@link FakeLlmServer} raw routes.
 */
class AcmeProviderTest {

    /** A structured answer, which ACME cannot give (no JSON response format). */
    record Verdict(String label, int score) {
    }

    @Deployment("acme-bot")
    @Model("acme/acme-large")
    interface AcmeBot {
        @SystemMessage("You answer for {{company}}.")
        @UserMessage("{{question}}")
        String answer(@Var("company") String company, @Var("question") String question);

        @UserMessage("{{question}}")
        Stream<String> stream(@Var("question") String question);

        @UserMessage("{{question}}")
        Completion<String> ask(@Var("question") String question);

        @UserMessage("Classify: {{text}}")
        Verdict classify(@Var("text") String text);
    }

    private static final String ANSWER = """
            {"id":"gen-42","output":"Your parcel left the depot this morning.","tokens_in":31,"tokens_out":9,"stop":"end"}""";
    private static final String STREAM = """
            event: token
            data: {"text":"Your parcel"}

            event: keepalive
            data: {}

            event: token
            data: {"text":" left"}

            event: token
            data: {"text":" the depot."}

            event: done
            data: {"id":"gen-43","tokens_in":12,"tokens_out":5,"stop":"end"}

            """;

    private final FakeLlmServer acme = FakeLlmServer.start();
    private final Switchboard sb = switchboard("""
            providers:
              acme: { type: acme, base_url: "%s", api_key: acme-secret, tenant: support }
            deployments:
              acme-bot.answer: { parameters: { temperature: 0.2, max_tokens: 200 } }
              acme-bot.ask:    { retry: { count: 2, on_codes: [429, 503], backoff: 1ms } }
            """.formatted(acme.rootUrl()));
    private final AcmeBot bot = sb.create(AcmeBot.class);

    private static Switchboard switchboard(String yaml) {
        return Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .configYaml(yaml).build();
    }

    @AfterEach
    void close() {
        sb.close();
        acme.close();
    }

    @Test
    void theEngineFindsThePluginOnTheClasspath() {
        assertThat(sb.engine().providers().types()).contains("acme", "openai", "mock");
        assertThat(sb.engine().providers().provider("acme")).isInstanceOf(AcmeProvider.class);
    }

    @Test
    void plainCallReachesTheAcmeEndpointInItsOwnWireFormat() {
        acme.raw("POST", "/generate", RawResponse.json(200, ANSWER));

        assertThat(bot.answer("ACME", "Where is my parcel?")).isEqualTo("Your parcel left the depot this morning.");

        RecordedRequest sent = acme.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.path()).isEqualTo("/generate");
        assertThat(sent.header("authorization")).isEqualTo("Bearer acme-secret");
        assertThat(sent.header("x-acme-tenant")).isEqualTo("support");
        assertThat(sent.json().path("model").asText()).isEqualTo("acme-large");
        assertThat(sent.json().at("/prompt_messages/0/role").asText()).isEqualTo("system");
        assertThat(sent.json().at("/prompt_messages/0/text").asText()).isEqualTo("You answer for ACME.");
        assertThat(sent.json().at("/prompt_messages/1/text").asText()).isEqualTo("Where is my parcel?");
        assertThat(sent.json().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.json().path("max_output").asInt()).isEqualTo(200);
    }

    @Test
    void streamedTokensArriveInOrder() {
        acme.raw("POST", "/generate/stream", RawResponse.sse(200, STREAM));

        List<String> tokens;
        try (Stream<String> s = bot.stream("Where is my parcel?")) {
            tokens = s.collect(Collectors.toList());
        }

        assertThat(tokens).containsExactly("Your parcel", " left", " the depot.");
        assertThat(acme.requests().get(0).header("accept")).isEqualTo("text/event-stream");
    }

    @Test
    void a503IsRetriedByTheEnginePolicyAndHonoursRetryAfter() {
        acme.enqueue(RawResponse.json(503, "{\"error_code\":\"overloaded\",\"detail\":\"shedding load\"}")
                .header("Retry-After", "1"));
        acme.raw("POST", "/generate", RawResponse.json(200, ANSWER));

        long t0 = System.nanoTime();
        Completion<String> c = bot.ask("Where is my parcel?");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(c.content()).isEqualTo("Your parcel left the depot this morning.");
        assertThat(c.attempts()).extracting(Attempt::statusCode).containsExactly(503, 200);
        assertThat(c.usage().inputTokens()).isEqualTo(31);
        assertThat(c.usage().outputTokens()).isEqualTo(9);
        assertThat(c.finishReason()).isEqualTo("stop");
        assertThat(acme.requests()).hasSize(2);
    }

    @Test
    void anExhaustedQuotaIsNotRetriedEvenWhen429IsListed() {
        acme.enqueue(RawResponse.json(429, "{\"error_code\":\"quota_exhausted\",\"detail\":\"monthly quota used up\"}"));

        assertThatThrownBy(() -> bot.ask("q"))
                .isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
                    ProviderCallException cause = (ProviderCallException) e.causes().get(0);
                    assertThat(cause.errorCode()).isEqualTo("quota_exhausted");
                    assertThat(cause.statusCode()).isEqualTo(429);
                    assertThat(cause.retryable()).isFalse();
                });
        assertThat(acme.requests()).hasSize(1);
    }

    @Test
    void whatAcmeCannotDoIsRefusedBeforeAnyNetworkIo() {
        assertThatThrownBy(() -> bot.classify("great product"))
                .isInstanceOfSatisfying(AllAttemptsFailedException.class, e -> {
                    ProviderCallException cause = (ProviderCallException) e.causes().get(0);
                    assertThat(cause.kind()).isEqualTo(ProviderCallException.Kind.UNSUPPORTED);
                    assertThat(cause.getMessage()).contains("json_schema");
                });
        assertThat(acme.requestCount()).isZero();
    }

    @Test
    void aStreamWithoutItsDoneEventIsAnErrorNotATruncatedAnswer() {
        acme.raw("POST", "/generate/stream", RawResponse.sse(200, "event: token\ndata: {\"text\":\"Your par\"}\n\n"));

        StringBuilder seen = new StringBuilder();
        assertThatThrownBy(() -> {
            try (Stream<String> s = bot.stream("q")) {
                s.forEach(seen::append);
            }
        }).hasMessageContaining("terminal event");
        assertThat(seen.toString()).isEqualTo("Your par");
    }

    @Test
    void anInvalidEntryFailsAtStartUpNamingItsKeyPath() {
        assertThatThrownBy(() -> switchboard("providers: { acme: { type: acme } }"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("providers.acme.base_url"));
        assertThatThrownBy(() -> switchboard("providers: { acme: { type: acme, base_url: \"http://x\", tenant: Sales! } }"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("providers.acme.tenant"));
    }
}
