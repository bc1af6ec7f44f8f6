package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.spi.ChatResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a provider's plain chat answer, the per-call work of an OpenAI-compatible chat call: {@code tree} is the
 * earlier way (a {@code JsonNode} tree parsed, checked for an error object, read), {@code streaming} the current one
 * ({@link OpenAiCodec#readWellFormedResponse}: Jackson's parser, no tree; odd answers still take the tree way).
 *
 * <pre>
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar AnswerCodec -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AnswerCodecBenchmark {
    /** OpenAI's answer as it sends it (the {@code chat-completion.json} test fixture, without its spaces), 626 bytes. */
    private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1741569952,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello! How can I assist you today?\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1117,\"completion_tokens\":10,\"total_tokens\":1127,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},\"completion_tokens_details\":"
            + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fc9f1d7035\"}").getBytes(StandardCharsets.UTF_8);

    private final OpenAiCodec codec = OpenAiCodec.shared();

    @Benchmark
    public ChatResponse tree() {
        JsonNode body = codec.parse(ANSWER);
        return codec.isError(body) ? null : codec.readResponse(body);
    }

    @Benchmark
    public ChatResponse streaming() {
        return codec.readWellFormedResponse(ANSWER);
    }
}
