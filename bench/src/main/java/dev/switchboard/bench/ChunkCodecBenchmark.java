package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.openai.OpenAiCodec;
import dev.switchboard.runtime.providers.openai.StreamChunkWriter;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
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
 * The per-event work of a streamed call relayed by the gateway: reading an upstream {@code chat.completion.chunk}
 * (a typical text delta, as OpenAI sends it) and writing the chunk the client gets. {@code tree*} is the earlier
 * path (a {@code JsonNode} tree parsed, then an {@code ObjectNode} built and serialized; the tree writer is kept
 * here as it was), {@code streaming*} the current one ({@link OpenAiCodec#readChunks(String)},
 * {@link OpenAiCodec#writeChunk}, a Jackson parser and generator without trees).
 *
 * <pre>
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar ChunkCodec -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChunkCodecBenchmark {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** An event's data from OpenAI's stream (see the {@code chat-stream.sse} test fixture). */
    private static final String EVENT = "{\"id\":\"chatcmpl-BQ45kYb2Wm7sNc0pLq3RtVx9ZaE1H\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1745612560,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_dbaca60df0\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" How can I\"},\"logprobs\":null,\"finish_reason\":null}],"
            + "\"usage\":null,\"obfuscation\":\"p9K3xT\"}";
    private static final String ID = "chatcmpl-5f0c3a9e2b7d4e1f8a6c9b0d";
    private static final String MODEL = "gpt-4o-mini";
    private static final long CREATED = 1745612560L;

    private final OpenAiCodec codec = OpenAiCodec.shared();
    private final ChatChunk chunk = ChatChunk.text(" How can I");
    private final StreamChunkWriter writer = codec.streamChunkWriter(ID, MODEL, CREATED);

    /** Read as a tree, as the stream did before: parse, check for an error object, read the chunks. */
    @Benchmark
    public List<ChatChunk> treeRead() {
        JsonNode node = codec.parse(EVENT);
        return codec.isError(node) ? List.of() : codec.readChunks(node);
    }

    @Benchmark
    public List<ChatChunk> streamingRead() {
        return codec.readChunks(EVENT);
    }

    @Benchmark
    public byte[] treeWrite() {
        return codec.toBytes(treeChunk(chunk, ID, MODEL, CREATED));
    }

    @Benchmark
    public byte[] streamingWrite() {
        return codec.writeChunk(chunk, ID, MODEL, CREATED);
    }

    /** The same chunk through a stream's own writer (the gateway's way since 2026-11-30 12:00 UTC). */
    @Benchmark
    public byte[] streamWriterWrite() {
        return writer.write(chunk);
    }

    /** One relayed event, the earlier way. */
    @Benchmark
    public byte[] treeReadWrite() {
        JsonNode node = codec.parse(EVENT);
        ChatChunk c = codec.isError(node) ? null : codec.readChunks(node).get(0);
        return codec.toBytes(treeChunk(c, ID, MODEL, CREATED));
    }

    /** One relayed event, the current way. */
    @Benchmark
    public byte[] streamingReadWrite() {
        return codec.writeChunk(codec.readChunks(EVENT).get(0), ID, MODEL, CREATED);
    }

    // ---- the earlier, tree-based chunk writer, as OpenAiCodec.writeChunk used it

    private static ObjectNode treeChunk(ChatChunk c, String id, String model, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ArrayNode choices = o.putArray("choices");
        boolean usageOnly = c.usage() != null && !c.hasContent() && c.finishReason() == null;
        if (!usageOnly) {
            ObjectNode choice = choices.addObject().put("index", c.choiceIndex());
            ObjectNode delta = choice.putObject("delta");
            if (c.hasContent()) {
                delta.put("role", "assistant");
            }
            if (!c.text().isEmpty()) {
                delta.put("content", c.text());
            }
            if (!c.toolCalls().isEmpty()) {
                ArrayNode calls = delta.putArray("tool_calls");
                c.toolCalls().forEach(t -> calls.add(treeToolDelta(t)));
            }
            choice.putNull("logprobs");
            FinishReason f = c.finishReason();
            choice.put("finish_reason", f == null ? null : f == FinishReason.ERROR || f == FinishReason.OTHER ? "stop" : f.wireName());
        }
        if (c.usage() != null) {
            Usage u = c.usage();
            ObjectNode usage = o.putObject("usage").put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                    .put("total_tokens", u.totalTokens());
            usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        }
        return o;
    }

    private static ObjectNode treeToolDelta(ToolCallDelta t) {
        ObjectNode o = NODES.objectNode().put("index", t.index());
        if (t.id() != null) {
            o.put("id", t.id()).put("type", "function");
        }
        ObjectNode f = o.putObject("function");
        if (t.name() != null) {
            f.put("name", t.name());
        }
        f.put("arguments", t.argumentsFragment() == null ? "" : t.argumentsFragment());
        return o;
    }
}
