package dev.switchboard.runtime.providers.anthropic;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.failure;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.support.ProviderTestSupport.RecordingSink;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicStreamTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = new AnthropicProviderFactory().create(ProviderConfig.builder("claude", "anthropic")
                .baseUrl(server.rootUrl()).apiKey(Secret.of("sk-ant-test")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatRequest hi() {
        return ChatRequest.builder("claude-sonnet-4-5").message(ChatMessage.user("Hi")).build();
    }

    @Test
    void textStreamEmitsDeltasInOrderThenFinishAndUsage() {
        server.enqueue(RawResponse.sse(200, fixture("anthropic/message-stream.sse")));
        ChatResponse r = await(provider.stream(hi(), sink));

        RecordedRequest sent = server.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        assertThat(sink.texts()).containsExactly("Hello", "! It's nice to meet you.", " How can I help", " you today?");
        ChatChunk last = sink.chunks().get(sink.chunks().size() - 1);
        Usage usage = new Usage(21 + 1860, 18, 1860);
        assertThat(last.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(last.usage()).isEqualTo(usage);
        assertThat(r.id()).isEqualTo("msg_01LtFpmR8SbmiK2kRA5sWXNi");
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(r.text()).isEqualTo("Hello! It's nice to meet you. How can I help you today?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(usage);
    }

    @Test
    void toolUseStreamEmitsIdAndNameFirstThenArgumentFragments() {
        server.enqueue(RawResponse.sse(200, fixture("anthropic/message-stream-tool-use.sse")));
        ChatResponse r = await(provider.stream(hi(), sink));

        assertThat(sink.texts()).containsExactly("I'll check", " the weather in San Francisco for you.");
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas.get(0)).isEqualTo(new ToolCallDelta(0, "toolu_018acGYLtfR52q9yDbWaEdQZ", "get_weather", ""));
        assertThat(deltas.subList(1, deltas.size())).allSatisfy(d -> {
            assertThat(d.id()).isNull();
            assertThat(d.name()).isNull();
            assertThat(d.index()).isZero();
        });
        assertThat(deltas).hasSize(10); // the start, then 9 non-empty fragments (the empty first one is skipped)
        assertThat(r.text()).isEqualTo("I'll check the weather in San Francisco for you.");
        assertThat(r.message().toolCalls()).containsExactly(new ToolCall("toolu_018acGYLtfR52q9yDbWaEdQZ", "get_weather",
                "{\"location\": \"San Francisco, CA\", \"units\": \"f\"}"));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.usage()).isEqualTo(new Usage(656, 74, 0));
    }

    @Test
    void structuredOutputStreamsTheForcedToolInputAsText() throws Exception {
        var schema = new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        server.enqueue(RawResponse.sse(200, answerStream("city", "{\\\"city\\\":", "\\\"Paris\\\"}")));
        ChatResponse r = await(provider.stream(hi().toBuilder().responseFormat(ResponseFormat.jsonSchema("city", schema)).build(), sink));
        assertThat(sink.texts()).containsExactly("{\"city\":", "\"Paris\"}");
        assertThat(r.text()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(r.message().toolCalls()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aWrappedStructuredAnswerIsEmittedWhenItsBlockEnds() throws Exception {
        var schema = new ObjectMapper().readTree("{\"type\":\"integer\"}");
        server.enqueue(RawResponse.sse(200, answerStream("n", "{\\\"value\\\":", " 42}")));
        ChatResponse r = await(provider.stream(hi().toBuilder().responseFormat(ResponseFormat.jsonSchema("n", schema)).build(), sink));
        assertThat(sink.texts()).containsExactly("42");
        assertThat(r.text()).isEqualTo("42");
    }

    @Test
    void anErrorEventFailsTheStreamAsRetryableOverload() {
        server.enqueue(RawResponse.sse(200, fixture("anthropic/message-stream-error.sse")));
        ProviderException e = failure(provider.stream(hi(), sink));
        assertThat(sink.texts()).containsExactly("Once upon a time", ", in a quiet village");
        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(529);
        assertThat(e.errorCode()).isEqualTo("overloaded_error");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Overloaded");
    }

    @Test
    void aStreamWithoutMessageStopIsInterrupted() {
        String full = fixture("anthropic/message-stream.sse");
        server.enqueue(RawResponse.sse(200, full.substring(0, full.indexOf("event: message_stop"))));
        ProviderException e = failure(provider.stream(hi(), sink));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("message_delta");
        assertThat(sink.texts()).hasSize(4);
    }

    @Test
    void aConnectionCutMidStreamIsInterrupted() {
        server.enqueue(Fault.streamCutAfter(2).source(Reply.chunks("a", "b", "c", "d")));
        ProviderException e = failure(provider.stream(hi(), sink));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(sink.texts()).containsExactly("a", "b");
    }

    @Test
    void readsTheTestkitsAnthropicStream() {
        server.enqueue(Reply.chunks("Hel", "lo"));
        ChatResponse r = await(provider.stream(hi(), sink));
        assertThat(sink.texts()).containsExactly("Hel", "lo");
        assertThat(r.text()).isEqualTo("Hello");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void anErrorStatusOnAStreamRequestIsMappedLikeAPlainOne() {
        server.enqueue(RawResponse.json(429, fixture("anthropic/error-429.json")).header("retry-after", "3"));
        ProviderException e = failure(provider.stream(hi(), sink));
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_error");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void cancellingTheFutureAbortsTheRequest() {
        server.enqueue(Fault.stall());
        CompletableFuture<ChatResponse> f = provider.stream(hi(), sink);
        assertThat(server.takeRequest(Duration.ofSeconds(5))).isNotNull();
        f.cancel(true);
        assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aFailingSinkCancelsTheStream() {
        server.enqueue(RawResponse.sse(200, fixture("anthropic/message-stream.sse")));
        ProviderException e = failure(provider.stream(hi(), chunk -> {
            throw new IllegalStateException("consumer gone");
        }));
        assertThat(e.getCause()).hasMessage("consumer gone");
    }

    static String answerStream(String tool, String... fragments) {
        StringBuilder sb = new StringBuilder()
                .append(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"))
                .append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_s\",\"name\":\"" + tool + "\",\"input\":{}}}"));
        for (String f : fragments) {
            sb.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":\"" + f + "\"}}"));
        }
        return sb.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"))
                .append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}"))
                .append(event("message_stop", "{\"type\":\"message_stop\"}"))
                .toString();
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
