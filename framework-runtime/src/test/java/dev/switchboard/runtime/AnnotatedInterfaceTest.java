package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.OutputParseException;
import dev.switchboard.api.Param;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.TemplateException;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnotatedInterfaceTest {

    enum Priority { LOW, HIGH }

    record Ticket(String subject, Priority priority, List<String> tags) {
    }

    @Deployment("bot")
    @Model("mock/m1")
    interface Bot {
        @SystemMessage("You answer for {{company}}.")
        @UserMessage("{{question}}")
        String answer(@Var("company") String company, @Var("question") String question, @Context("locale") String locale);

        String plain(String input);

        @UserMessage("{{q}}")
        Completion<String> withUsage(@Var("q") String q);

        @UserMessage("{{q}}")
        CompletableFuture<String> async(@Var("q") String q);

        @UserMessage("{{q}}")
        CompletableFuture<Completion<Integer>> asyncNumber(@Var("q") String q);

        @UserMessage("{{q}}")
        Stream<String> streaming(@Var("q") String q);

        @UserMessage("{{q}}")
        Flow.Publisher<String> publisher(@Var("q") String q);

        @UserMessage("{{q}}")
        Priority priority(@Var("q") String q);

        @UserMessage("{{q}}")
        int number(@Var("q") String q);

        @UserMessage("{{q}}")
        boolean yesNo(@Var("q") String q);

        @UserMessage("Triage: {{email}}")
        @Param(name = "temperature", value = "0.1")
        Ticket triage(@Var("email") String email);

        default String twice(String s) {
            return plain(s) + plain(s);
        }
    }

    private final Switchboard sb = Fixtures.mock("");

    @AfterEach
    void close() {
        sb.close();
    }

    @Test
    void rendersTemplatesAndEchoes() {
        Bot bot = sb.create(Bot.class);
        assertThat(bot.answer("ACME", "Where is my parcel?", "en")).isEqualTo("Where is my parcel?");
        assertThat(bot.plain("hello")).isEqualTo("hello");
    }

    @Test
    void completionCarriesUsageModelAttemptsAndRouting() {
        Completion<String> c = sb.create(Bot.class).withUsage("hi there");
        assertThat(c.content()).isEqualTo("hi there");
        assertThat(c.provider()).isEqualTo("mock");
        assertThat(c.model()).isEqualTo("m1");
        assertThat(c.deployment()).isEqualTo("bot.withUsage");
        assertThat(c.variant()).isEqualTo("default");
        assertThat(c.attempts()).hasSize(1);
        assertThat(c.usage().totalTokens()).isPositive();
        assertThat(c.callId()).startsWith("call_");
        assertThat(c.finishReason()).isEqualTo("stop");
    }

    @Test
    void asyncReturnsAFuture() throws Exception {
        Bot bot = sb.create(Bot.class);
        assertThat(bot.async("later").get(5, TimeUnit.SECONDS)).isEqualTo("later");
        Completion<Integer> n = bot.asyncNumber("42").get(5, TimeUnit.SECONDS);
        assertThat(n.content()).isEqualTo(42);
    }

    @Test
    void streamsDeliverTokensInOrder() {
        List<String> parts;
        try (Stream<String> s = sb.create(Bot.class).streaming("one two three four")) {
            parts = s.collect(Collectors.toList());
        }
        assertThat(parts).containsExactly("one", " two", " three", " four");
    }

    @Test
    void publisherDeliversTokens() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        sb.create(Bot.class).publisher("a b c").subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            public void onNext(String item) {
                got.add(item);
            }

            public void onError(Throwable t) {
                done.countDown();
            }

            public void onComplete() {
                done.countDown();
            }
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(String.join("", got)).isEqualTo("a b c");
    }

    @Test
    void mapsEnumsAndScalars() {
        Bot bot = sb.create(Bot.class);
        assertThat(bot.priority("\"high\".")).isEqualTo(Priority.HIGH);
        assertThat(bot.number(" 17 ")).isEqualTo(17);
        assertThat(bot.yesNo("Yes")).isTrue();
        assertThatThrownBy(() -> bot.priority("urgent"))
                .isInstanceOf(OutputParseException.class)
                .hasMessageContaining("Bot.priority")
                .satisfies(e -> assertThat(((OutputParseException) e).rawText()).isEqualTo("urgent"));
    }

    @Test
    void structuredOutputSendsASchemaAndParsesTheReply() {
        Switchboard scripted = Fixtures.builder("""
                providers:
                  mock: { type: scripted }
                """).build();
        ScriptedProvider p = ScriptedProvider.BY_NAME.get("mock");
        p.reply("{\"subject\":\"Refund\",\"priority\":\"HIGH\",\"tags\":[\"billing\"]}");
        p.reply("not json");
        Bot bot = scripted.create(Bot.class);
        Ticket t = bot.triage("I want my money back");
        assertThat(t).isEqualTo(new Ticket("Refund", Priority.HIGH, List.of("billing")));
        var format = p.requests.get(0).responseFormat();
        assertThat(format.name()).isEqualTo("Ticket");
        assertThat(format.schema().toString())
                .contains("\"subject\":{\"type\":\"string\"}")
                .contains("\"enum\":[\"LOW\",\"HIGH\"]")
                .contains("\"required\":[\"subject\",\"priority\",\"tags\"]");
        assertThat(p.requests.get(0).temperature()).isEqualTo(0.1);
        assertThatThrownBy(() -> bot.triage("x")).isInstanceOf(OutputParseException.class)
                .satisfies(e -> assertThat(((OutputParseException) e).rawText()).isEqualTo("not json"));
        scripted.close();
    }

    @Test
    void mockAnswersStructuredOutputWithASample() {
        Ticket t = sb.create(Bot.class).triage("anything");
        assertThat(t.priority()).isEqualTo(Priority.LOW);
        assertThat(t.tags()).containsExactly("sample");
    }

    @Test
    void nullVariableIsATemplateErrorBeforeAnyCall() {
        assertThatThrownBy(() -> sb.create(Bot.class).answer(null, "q", "en"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("bot.answer")
                .hasMessageContaining("{{company}}");
    }

    @Test
    void objectMethodsAndDefaultMethodsBehave() {
        Bot bot = sb.create(Bot.class);
        assertThat(bot.twice("x")).isEqualTo("xx");
        assertThat(bot.toString()).isEqualTo("Bot(switchboard)");
        assertThat(bot).isEqualTo(bot);
        assertThat(bot.hashCode()).isEqualTo(System.identityHashCode(bot));
        assertThat(sb.create(Bot.class)).isSameAs(bot);
    }
}
