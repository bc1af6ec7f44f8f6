package dev.switchboard.runtime.providers.cohere;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.failure;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolCallDelta;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CohereStreamTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = new CohereProviderFactory().create(ProviderConfig.builder("cohere", "cohere")
                .baseUrl(server.rootUrl()).apiKey(Secret.of("co-test-key")).requestTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("command-a-03-2025").message(ChatMessage.user("What are LLMs?")).build();
    }

    @Test
    void textStreamEmitsDeltasThenFinishAndUsageAndToleratesDone() {
        server.enqueue(RawResponse.sse(200, fixture("cohere/chat-stream.sse")));
        ChatResponse r = await(provider.stream(ask(), sink));

        RecordedRequest sent = server.takeRequest(Duration.ofSeconds(1));
        assertThat(sent.path()).isEqualTo("/v2/chat");
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sink.texts()).containsExactly("LL", "Ms", " stand", " for", " Large", " Language", " Models", ".");
        ChatChunk last = sink.chunks().get(sink.chunks().size() - 1);
        assertThat(last.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(last.usage()).isEqualTo(new Usage(71, 8, 0));
        assertThat(r.id()).isEqualTo("29f14a5a-11de-4cae-9800-25e4747408ea");
        assertThat(r.model()).isEqualTo("command-a-03-2025");
        assertThat(r.text()).isEqualTo("LLMs stand for Large Language Models.");
        assertThat(r.usage()).isEqualTo(new Usage(71, 8, 0));
    }

    @Test
    void toolCallStreamEmitsPlanAsTextAndCallFragments() {
        server.enqueue(RawResponse.sse(200, fixture("cohere/chat-stream-tool-call.sse")));
        ChatResponse r = await(provider.stream(ask(), sink));

        assertThat(String.join("", sink.texts())).isEqualTo("I will use the query_daily_sales_report tool to find the sales summary.");
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas.get(0)).isEqualTo(new ToolCallDelta(0, "query_daily_sales_report_j3f0adww9pmr", "query_daily_sales_report", ""));
        assertThat(deltas.get(1)).isEqualTo(new ToolCallDelta(0, null, null, "{\""));
        assertThat(deltas).filteredOn(d -> d.id() != null).extracting(ToolCallDelta::index).containsExactly(0, 1);
        assertThat(r.message().toolCalls()).containsExactly(
                new ToolCall("query_daily_sales_report_j3f0adww9pmr", "query_daily_sales_report", "{\"day\": \"2023-09-29\"}"),
                new ToolCall("query_product_catalog_c66nf11r6s8g", "query_product_catalog", "{\"category\": \"Electronics\"}"));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.usage()).isEqualTo(new Usage(1589, 135, 0));
    }

    @Test
    void messageEndWithoutDoneIsEnoughAndAnErrorFinishIsReported() {
        server.enqueue(RawResponse.sse(200, "event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"m1\"}\n\n"
                + "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hi\"}}}}\n\n"
                + "event: debug\ndata: {\"type\":\"debug\"}\n\n"
                + "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\",\"error\":\"boom\","
                + "\"usage\":{\"tokens\":{\"input_tokens\":3,\"output_tokens\":1},\"cached_tokens\":2}}}\n\n"));
        ChatResponse r = await(provider.stream(ask(), sink));
        assertThat(r.text()).isEqualTo("Hi");
        assertThat(r.finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(r.usage()).isEqualTo(new Usage(3, 1, 2));
    }

    @Test
    void aStreamWithoutMessageEndIsInterrupted() {
        String full = fixture("cohere/chat-stream.sse");
        server.enqueue(RawResponse.sse(200, full.substring(0, full.indexOf("event: message-end"))));
        ProviderException e = failure(provider.stream(ask(), sink));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("content-end");
        assertThat(sink.texts()).hasSize(8);
    }

    @Test
    void aConnectionCutMidStreamIsInterrupted() {
        server.raw("POST", "/v2/chat", RawResponse.sse(200, fixture("cohere/chat-stream.sse")));
        server.enqueue(Fault.bodyCutHalfway());
        ProviderException e = failure(provider.stream(ask(), sink));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_INTERRUPTED);
        assertThat(e.retryable()).isTrue();
        assertThat(sink.texts()).isNotEmpty();
    }

    @Test
    void malformedEventDataFailsTheStream() {
        server.enqueue(RawResponse.sse(200, "event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"m1\"}\n\n"
                + "event: content-delta\ndata: {\"type\":\"content-delta\",\"delta\":{\"mess\n\n"));
        ProviderException e = failure(provider.stream(ask(), sink));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }

    @Test
    void anErrorStatusOnAStreamRequestIsMapped() {
        server.enqueue(RawResponse.json(429, fixture("cohere/error-429.json")));
        ProviderException e = failure(provider.stream(ask(), sink));
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void cancellingTheFutureAbortsTheRequest() {
        server.enqueue(Fault.stall());
        CompletableFuture<ChatResponse> f = provider.stream(ask(), sink);
        assertThat(server.takeRequest(Duration.ofSeconds(5))).isNotNull();
        f.cancel(true);
        assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
    }
}
