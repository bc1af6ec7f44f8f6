package dev.switchboard.samples.configmanagement;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration-management mode: the application calls its LLM vendor itself (its data never passes through
 * the gateway), and takes the prompt, the model and the routing of deployment {@code support} from a running
 * Switchboard gateway. Publishing a new version on the gateway changes what the application sends within
 * seconds, without a restart; when the gateway is down the application keeps its copy, and when it starts
 * while the gateway is down it starts from the last-known-good file.
 *
 * <pre>
 * export SB_GATEWAY_URL=http://127.0.0.1:8080 SB_GATEWAY_KEY=… OPENAI_API_KEY=…
 * mvn -q -pl samples/config-management -am install -DskipTests &amp;&amp; mvn -q -pl samples/config-management exec:java
 * </pre>
 */
public final class ConfigManagementApp {

    /** The prompt interface; its annotations are only the defaults until the gateway has published a version. */
    public interface SupportBot {
        @Deployment("support")
        @Model("vendor/gpt-4o-mini")
        @SystemMessage("You answer for {{company}}.")
        @UserMessage("{{question}}")
        Completion<String> answer(@Var("company") String company, @Var("question") String question, @Context("plan") String plan);
    }

    private ConfigManagementApp() {
    }

    /**
     * The application's {@link Switchboard}: what {@code base} configures (the classpath {@code switchboard.yaml}:
     * the vendor and its key) plus the deployments of the gateway at {@code gateway}, refreshed every
     * {@code refresh}, with a last-known-good copy in {@code lastKnownGood}.
     */
    public static Switchboard connect(Switchboard.Builder base, URI gateway, String gatewayKey, Path lastKnownGood, Duration refresh) {
        return base.remoteConfig(gateway, gatewayKey, lastKnownGood, refresh).build();
    }

    /** Answers one question and prints which deployment version, variant and model produced the answer. */
    public static void main(String[] args) {
        URI gateway = URI.create(System.getenv().getOrDefault("SB_GATEWAY_URL", "http://127.0.0.1:8080"));
        Path lkg = Path.of(System.getenv().getOrDefault("SB_LKG_FILE", "switchboard-lkg.json"));
        try (Switchboard sb = connect(Switchboard.builder(), gateway, System.getenv("SB_GATEWAY_KEY"), lkg, Duration.ofSeconds(5))) {
            SupportBot bot = sb.create(SupportBot.class);
            Completion<String> c = bot.answer("ACME", args.length > 0 ? String.join(" ", args) : "Where is my parcel?", "free");
            System.out.println(c.content());
            System.out.println("(deployment " + c.deployment() + " " + c.version() + ", variant " + c.variant() + ", model "
                    + c.provider() + "/" + c.model() + ")");
        }
    }
}
