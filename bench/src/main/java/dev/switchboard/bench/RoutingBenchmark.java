package dev.switchboard.bench;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.routing.Routing;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing one call: a deployment with five rules (equals, in, all-of, regex, numeric) and a sticky
 * 90/10 split that the context reaches last — the worst case, every rule evaluated.
 *
 * <pre>java -jar bench/target/benchmarks.jar Routing -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {
    private Routing routing;
    private final Map<String, String> context = Map.of("user_id", "user-12345", "locale", "en", "plan", "free", "seats", "12");

    @Setup
    public void setUp() {
        try (Switchboard sb = Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .configYaml("""
                        providers: { mock: { type: mock } }
                        deployments:
                          d:
                            variants: { main: { model: mock/a }, b: { model: mock/b }, c: { model: mock/c } }
                            routing:
                              - { when: { environment: staging }, variant: b }
                              - { when: { locale: { in: [de, fr, it] } }, variant: b }
                              - { when: { all: [ { plan: pro }, { region: { not_in: [cn] } } ] }, variant: c }
                              - { when: { email: { regex: '.*@example\\.com' } }, variant: c }
                              - { when: { seats: { gte: 100 } }, variant: c }
                              - { split: { key: user_id, weights: { main: 90, b: 10 } } }
                        """).build()) {
            routing = sb.config().deployments().get("d").routing();
        }
    }

    /** All six rules evaluated, the split decides. */
    @Benchmark
    public String routeThroughEveryRule() {
        return routing.route(context);
    }
}
