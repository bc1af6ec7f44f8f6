package dev.switchboard.samples.quickstart;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Fallback;
import dev.switchboard.api.Model;
import dev.switchboard.api.Retry;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.Timeout;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import java.util.List;
import java.util.stream.Stream;

/**
 * The quick start: an annotated interface called in-process. It runs offline against the {@code mock}
 * provider configured in {@code switchboard.yaml} on the classpath; point {@code support-bot} at a real
 * provider there (or with {@code -Dswitchboard.deployments.support-bot.answer.model=openai/gpt-4o-mini})
 * without touching the code.
 *
 * <pre>mvn -q -pl samples/quickstart -am install -DskipTests && mvn -q -pl samples/quickstart exec:java</pre>
 */
public final class QuickstartApp {

    /** What a triage answers. */
    public enum Priority { LOW, NORMAL, URGENT }

    /** A structured answer. */
    public record Ticket(String subject, Priority priority, List<String> tags) {
    }

    /** The prompt interface. */
    @Deployment("support-bot")
    @Model("mock/echo-1")
    public interface SupportBot {
        @SystemMessage("You answer for {{company}}. Be brief.")
        @UserMessage("{{question}}")
        @Retry(count = 3, onCodes = {429, 500, 502, 503, 504})
        @Fallback({"backup/echo-2"})
        @Timeout(seconds = 20)
        String answer(@Var("company") String company, @Var("question") String question, @Context("locale") String locale);

        @UserMessage("Triage this e-mail: {{email}}")
        Ticket triage(@Var("email") String email);

        @UserMessage("{{question}}")
        Completion<String> answerWithUsage(@Var("question") String question);

        @UserMessage("{{question}}")
        Stream<String> answerStreaming(@Var("question") String question);
    }

    private QuickstartApp() {
    }

    /** Runs the quick start and prints what each method returns. */
    public static void main(String[] args) {
        try (Switchboard sb = Switchboard.builder().build()) {
            SupportBot bot = sb.create(SupportBot.class);
            System.out.println("answer:     " + bot.answer("ACME", "Where is my parcel?", "en"));
            System.out.println("triage:     " + bot.triage("My invoice is wrong and I am furious"));
            Completion<String> c = bot.answerWithUsage("How do I reset my password?");
            System.out.println("completion: " + c.content() + " (" + c.usage().totalTokens() + " tokens from " + c.modelRef()
                    + " after " + c.attempts().size() + " attempt(s), variant " + c.variant() + ")");
            System.out.print("streaming: ");
            try (Stream<String> tokens = bot.answerStreaming("tokens arrive one by one")) {
                tokens.forEach(t -> System.out.print("[" + t + "]"));
            }
            System.out.println();
        }
    }
}
