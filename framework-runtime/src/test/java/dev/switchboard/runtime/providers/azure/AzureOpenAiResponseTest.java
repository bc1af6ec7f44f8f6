package dev.switchboard.runtime.providers.azure;

import static dev.switchboard.runtime.providers.azure.AzureTestSupport.CHAT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.DEPLOYMENT;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.await;
import static dev.switchboard.runtime.providers.azure.AzureTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the Azure OpenAI provider maps answers and streams, Azure's filter annotations included. */
class AzureOpenAiResponseTest {
    private FakeLlmServer server;
    private ChatProvider provider;
    private final ChatRequest hello = ChatRequest.builder(DEPLOYMENT).message(ChatMessage.user("Parrot care?")).build();

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = AzureTestSupport.provider(server.rootUrl(), Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plainAnswerWithCachedTokens() {
        server.raw("POST", CHAT, RawResponse.json(200, fixture("chat-completion.json")));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.id()).isEqualTo("chatcmpl-BQ4DhLqW0vZ7xYtR3sNkPm2Ue9JcA");
        assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
        assertThat(r.text()).startsWith("Ahoy matey!");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(new Usage(1158, 33, 1024));
    }

    @Test
    void toolCallAnswer() {
        server.raw("POST", CHAT, RawResponse.json(200, fixture("chat-completion-tool-call.json")));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        ToolCall call = r.message().toolCalls().get(0);
        assertThat(call.id()).isEqualTo("call_y5Hk2Wq8RnB0cLs7Pd3Vf1Tz");
        assertThat(call.name()).isEqualTo("get_current_weather");
        assertThat(call.arguments()).isEqualTo("{\"location\":\"Boston, MA\",\"unit\":\"fahrenheit\"}");
    }

    @Test
    void filteredOutputIsContentFilter() {
        server.raw("POST", CHAT, RawResponse.json(200, fixture("chat-completion-content-filtered.json")));
        ChatResponse r = await(provider.chat(hello));
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.text()).isEqualTo("Sure. The first step is");
    }

    @Test
    void streamSkipsTheAnnotationOnlyFirstChunkAndAggregates() {
        server.raw("POST", CHAT, RawResponse.sse(200, fixture("chat-stream.sse")).eventDelay(Duration.ofMillis(2)));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r = await(provider.stream(hello, chunks::add));

        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Ahoy", "!", " Keep", " yer", " parrot", " happy", ",",
                " matey", ".", "", "");
        assertThat(chunks.get(9).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(chunks.get(10).usage()).isEqualTo(Usage.of(26, 9));
        assertThat(r.text()).isEqualTo("Ahoy! Keep yer parrot happy, matey.");
        assertThat(r.id()).isEqualTo("chatcmpl-BQ4HkPz3Wm8Ra1Tq6Yc0Ls9Vb2Nx");
        assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(Usage.of(26, 9));
    }

    @Test
    void streamToleratesChunksWithoutDeltaAndStreamsToolCalls() {
        String sse = "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}],\"id\":\"c1\",\"model\":\"gpt-4o\"}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"content_filter_offsets\":{\"check_offset\":0,\"start_offset\":0,\"end_offset\":10},"
                + "\"content_filter_results\":{},\"finish_reason\":null}],\"id\":\"\",\"model\":\"\"}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}}],\"id\":\"c1\"}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Boston\\\"}\"}}]}}],\"id\":\"c1\"}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"id\":\"c1\"}\n\n"
                + "data: [DONE]\n\n";
        server.raw("POST", CHAT, RawResponse.sse(200, sse));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r = await(provider.stream(hello, chunks::add));

        assertThat(chunks).hasSize(4);
        assertThat(chunks.get(0).toolCalls().get(0).name()).isEqualTo("get_current_weather");
        assertThat(r.id()).isEqualTo("c1");
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.message().toolCalls()).containsExactly(new ToolCall("call_a", "get_current_weather", "{\"location\":\"Boston\"}"));
    }

    @Test
    void streamedContentFilterFinish() {
        server.raw("POST", CHAT, RawResponse.sse(200,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Sure\"},\"finish_reason\":null}],\"id\":\"c2\",\"model\":\"gpt-4o\"}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\","
                        + "\"content_filter_results\":{\"violence\":{\"filtered\":true,\"severity\":\"medium\"}}}],\"id\":\"c2\"}\n\n"
                        + "data: [DONE]\n\n"));
        ChatResponse r = await(provider.stream(hello, c -> { }));
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.text()).isEqualTo("Sure");
    }
}
