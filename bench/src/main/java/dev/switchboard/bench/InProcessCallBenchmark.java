package dev.switchboard.bench;

import dev.switchboard.api.Completion;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.Retry;
import dev.switchboard.api.SystemMessage;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.runtime.Switchboard;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process overhead of one call through a generated implementation: argument binding,
 * configuration resolution (cached), template rendering, the Failsafe policy pipeline and result
 * mapping, against the {@code mock} provider (no network, echoes the user message).
 *
 * <pre>
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar InProcessCall -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class InProcessCallBenchmark {

    @Deployment("bench")
    @Model("mock/echo")
    public interface Bot {
        @SystemMessage("You answer for {{company}}. Be brief.")
        @UserMessage("{{question}}")
        String answer(@Var("company") String company, @Var("question") String question, @Context("locale") String locale);

        @UserMessage("{{question}}")
        @Retry(count = 3, onCodes = {429, 503})
        Completion<String> withUsage(@Var("question") String question);
    }

    private Switchboard switchboard;
    private Bot bot;

    @Setup
    public void setUp() {
        switchboard = Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .configYaml("providers: { mock: { type: mock } }").build();
        bot = switchboard.create(Bot.class);
    }

    @TearDown
    public void tearDown() {
        switchboard.close();
    }

    /** A plain String method with a system and a user template and a routing attribute. */
    @Benchmark
    public String plainCall() {
        return bot.answer("ACME", "Where is my parcel?", "en");
    }

    /** A Completion method with a retry policy. */
    @Benchmark
    public Completion<String> completionCall() {
        return bot.withUsage("Where is my parcel?");
    }
}
