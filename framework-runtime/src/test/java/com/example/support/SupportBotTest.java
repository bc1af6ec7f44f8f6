package com.example.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.FakeLlmServerExtension;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an application tests its annotated interface offline: a {@link FakeLlmServer} per test (JUnit 5
 * extension), and a configuration whose provider points at it. Written against the public API only, from a
 * package of its own, as a user's test would be; docs/testing.md quotes it.
 */
@ExtendWith(FakeLlmServerExtension.class)
class SupportBotTest {

    @Deployment("support-bot")
    @Model("openai/gpt-4o-mini")
    interface SupportBot {
        @SystemMessage("You answer for {{company}}. Be brief.")
        @UserMessage("{{question}}")
        String answer(@Var("company") String company, @Var("question") String question);

        @UserMessage("{{question}}")
        Completion<String> ask(@Var("question") String question);

        @UserMessage("{{question}}")
        Stream<String> stream(@Var("question") String question);
    }

    /** The application's providers, pointed at the fake server; deployments may override the annotations. */
    private static Switchboard switchboard(FakeLlmServer server, String deployments) {
        return Switchboard.builder()
                .classpathConfig(null)          // ignore src/main/resources/switchboard.yaml: this test says it all
                .environment(Map.of())          // and no ${ENV} or SWITCHBOARD__* overrides from the machine
                .configYaml("""
                        providers:
                          openai: { type: openai, base_url: "%s", api_key: sk-test, request_timeout: 2s }
                        %s""".formatted(server.baseUrl(), deployments))
                .build();
    }

    @Test
    void sendsTheRenderedPromptAndReturnsTheAnswer(FakeLlmServer server) {
        server.enqueue(Reply.text("Your parcel left the depot this morning."));

        try (Switchboard sb = switchboard(server, "")) {
            String answer = sb.create(SupportBot.class).answer("ACME", "Where is my parcel?");
            assertThat(answer).isEqualTo("Your parcel left the depot this morning.");
        }

        RecordedRequest sent = server.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(sent.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.json().at("/messages/0/content").asText()).isEqualTo("You answer for ACME. Be brief.");
        assertThat(sent.json().at("/messages/1/content").asText()).isEqualTo("Where is my parcel?");
    }

    @Test
    void retriesWhatTheConfigurationSaysToRetry(FakeLlmServer server) {
        server.enqueue(Reply.status(503), Fault.connectionReset(), Reply.text("third time lucky"));

        try (Switchboard sb = switchboard(server, """
                deployments:
                  support-bot.ask: { retry: { count: 2, on_codes: [503], backoff: 10ms } }
                """)) {
            Completion<String> c = sb.create(SupportBot.class).ask("Still there?");
            assertThat(c.content()).isEqualTo("third time lucky");
            assertThat(c.attempts()).hasSize(3);
        }
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void streamsTokensAsTheyArrive(FakeLlmServer server) {
        server.enqueue(Reply.chunks("Par", "cel ", "found.").chunkDelay(Duration.ofMillis(5)));

        try (Switchboard sb = switchboard(server, "");
             Stream<String> tokens = sb.create(SupportBot.class).stream("Where is it?")) {
            assertThat(tokens.collect(Collectors.toList())).containsExactly("Par", "cel ", "found.");
        }
        assertThat(server.takeRequest(Duration.ofSeconds(1)).json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void aProviderFailureIsATypedException(FakeLlmServer server) {
        server.enqueue(Fault.bodyCutHalfway());

        try (Switchboard sb = switchboard(server, "")) {
            SupportBot bot = sb.create(SupportBot.class);
            assertThatThrownBy(() -> bot.answer("ACME", "Hello?"))
                    .isInstanceOf(AllAttemptsFailedException.class)
                    .hasMessageContaining("openai/gpt-4o-mini");
        }
    }
}
