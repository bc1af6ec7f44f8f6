package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.FinishReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * A plain chat answer's per-call work in the gateway: reading the provider's ({@code treeRead}: a {@code JsonNode} tree
 * parsed, checked for an error object, read, the earlier way; {@code streamingRead}:
 * {@link OpenAiCodec#readWellFormedResponse}, Jackson's parser, no tree, odd answers still take the tree way) and
 * writing the client's ({@code treeWrite}: an {@code ObjectNode} built and serialized, the earlier writer kept here;
 * {@code streamingWrite}: {@link OpenAiCodec#writeResponse}, Jackson's generator).
 *
 * <pre>
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar AnswerCodec -prof gc -wi 5 -i 10 -w 1 -r 1
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

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenAiCodec codec = OpenAiCodec.shared();
    private final ChatResponse answer = new ChatResponse("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "gpt-4o-2024-08-06",
            List.of(new Choice(0, ChatMessage.assistant("Hello! How can I assist you today?"), FinishReason.STOP)), new Usage(1117, 10, 1024));

    @Benchmark
    public ChatResponse treeRead() {
        JsonNode body = codec.parse(ANSWER);
        return codec.isError(body) ? null : codec.readResponse(body);
    }

    @Benchmark
    public ChatResponse streamingRead() {
        return codec.readWellFormedResponse(ANSWER);
    }

    @Benchmark
    public byte[] treeWrite() {
        return codec.toBytes(treeAnswer(answer, "chatcmpl-5f0c3a9e2b7d4e1f8a6c9b0d", 1741569952L));
    }

    @Benchmark
    public byte[] streamingWrite() {
        return codec.writeResponse(answer, "chatcmpl-5f0c3a9e2b7d4e1f8a6c9b0d", 1741569952L);
    }

    /** The earlier tree writer, for an answer without tool calls. */
    private static ObjectNode treeAnswer(ChatResponse r, String id, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion").put("created", created).put("model", r.model());
        var choices = o.putArray("choices");
        for (Choice c : r.choices()) {
            ObjectNode choice = choices.addObject().put("index", c.index());
            choice.putObject("message").put("role", "assistant").put("content", c.message().text());
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason().wireName());
        }
        Usage u = r.usage();
        ObjectNode usage = o.putObject("usage").put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        return o;
    }
}
