package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolDefinition;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    private FakeLlmServer server;
    private ChatProvider provider;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        provider = new OpenAiFamilyFactory.OpenAi().create(ProviderConfig.builder("oai", "openai")
                .baseUrl(server.baseUrl() + "/").apiKey(Secret.of("sk-test")).requestTimeout(WAIT)
                .option("organization", "org-1").option("project", "proj_2").option("headers", Map.of("X-Team", "search"))
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ChatRequest hello() {
        return ChatRequest.builder("gpt-4o").message(ChatMessage.system("Be brief.")).message(ChatMessage.user("Hello")).build();
    }

    private RecordedRequest taken() {
        RecordedRequest r = server.takeRequest(WAIT);
        assertThat(r).as("request recorded").isNotNull();
        return r;
    }

    @Test
    void plainChatSendsTheRequestAndMapsTheAnswer() throws Exception {
        server.enqueue(RawResponse.json(200, Fixtures.text("chat-completion.json")));

        ChatResponse r = provider.chat(hello()).get(5, TimeUnit.SECONDS);

        assertThat(r.text()).isEqualTo("Hello! How can I assist you today?");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(new Usage(1117, 10, 1024));
        RecordedRequest req = taken();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(req.header("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(req.header("OpenAI-Project")).isEqualTo("proj_2");
        assertThat(req.header("X-Team")).isEqualTo("search");
        assertThat(req.header("Content-Type")).startsWith("application/json");
        assertThat(req.json().toString()).isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }

    @Test
    void streamDeliversChunksInOrderAndAggregates() throws Exception {
        server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream.sse")));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        ChatResponse r = provider.stream(hello(), chunks::add).get(5, TimeUnit.SECONDS);

        assertThat(chunks).extracting(ChatChunk::text)
                .containsExactly("Hello", "!", " How", " can", " I", " help", " you", " today", "?", "", "");
        assertThat(chunks.get(9).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(chunks.get(10).usage()).isEqualTo(Usage.of(19, 10));
        assertThat(r.text()).isEqualTo("Hello! How can I help you today?");
        assertThat(r.id()).isEqualTo("chatcmpl-BQ45kYb2Wm7sNc0pLq3RtVx9ZaE1H");
        assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(Usage.of(19, 10));
        JsonNode body = taken().json();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).as("usage always asked for").isTrue();
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        ToolDefinition weather = new ToolDefinition("get_current_weather", "Current weather",
                OpenAiCodecRequestTest.weatherSchema(), false);
        ChatRequest ask = ChatRequest.builder("gpt-4o").message(ChatMessage.user("Weather in Boston and Tokyo?"))
                .tool(weather).build();
        server.enqueue(RawResponse.json(200, Fixtures.text("chat-completion-tool-call.json")),
                RawResponse.json(200, Fixtures.text("chat-completion.json")));

        ChatResponse first = provider.chat(ask).get(5, TimeUnit.SECONDS);
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        List<ToolCall> calls = first.message().toolCalls();
        assertThat(calls).extracting(ToolCall::name).containsExactly("get_current_weather", "get_current_weather");

        ChatRequest.Builder next = ask.toBuilder().message(first.message());
        calls.forEach(c -> next.message(ChatMessage.toolResult(c.id(), "{\"temp\":21}")));
        provider.chat(next.build()).get(5, TimeUnit.SECONDS);

        JsonNode sentFirst = taken().json();
        assertThat(sentFirst.at("/tools/0/function/name").asText()).isEqualTo("get_current_weather");
        assertThat(sentFirst.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("location");
        JsonNode messages = taken().json().path("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("content").isNull()).isTrue();
        assertThat(messages.get(1).at("/tool_calls/1/id").asText()).isEqualTo("call_Qd5rT9yUe2oPi6As1Df4Gh7J");
        assertThat(messages.get(1).at("/tool_calls/1/function/arguments").asText())
                .isEqualTo("{\"location\":\"Tokyo, Japan\",\"unit\":\"celsius\"}");
        assertThat(messages.get(3).toString()).isEqualTo("{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\","
                + "\"tool_call_id\":\"call_Qd5rT9yUe2oPi6As1Df4Gh7J\"}");
    }

    @Test
    void streamedToolCallsAreJoined() throws Exception {
        server.enqueue(RawResponse.sse(200, Fixtures.text("chat-stream-tool-call.sse")));
        List<ChatChunk> chunks = new ArrayList<>();

        ChatResponse r = provider.stream(hello(), chunks::add).get(5, TimeUnit.SECONDS);

        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.message().toolCalls()).containsExactly(new ToolCall("call_DdmvZ5u3S2bQp8xWf0Lk4nR7",
                "get_current_weather", "{\"location\":\"Boston, MA\",\"unit\":\"fahrenheit\"}"));
        assertThat(r.usage()).isEqualTo(Usage.of(82, 18));
        assertThat(chunks.get(0).toolCalls().get(0).name()).isEqualTo("get_current_weather");
    }

    @Test
    void structuredOutputRequest() throws Exception {
        server.enqueue(RawResponse.json(200, Fixtures.text("chat-completion-structured.json")));
        ChatRequest req = hello().toBuilder()
                .responseFormat(ResponseFormat.jsonSchema("event", OpenAiCodecRequestTest.weatherSchema())).build();

        ChatResponse r = provider.chat(req).get(5, TimeUnit.SECONDS);

        assertThat(r.text()).startsWith("{\"name\":\"Science Fair\"");
        JsonNode format = taken().json().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/name").asText()).isEqualTo("event");
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        assertThat(format.at("/json_schema/schema/properties/location/type").asText()).isEqualTo("string");
    }

    @Test
    void embeddings() throws Exception {
        server.enqueue(RawResponse.json(200, Fixtures.text("embeddings.json")));

        EmbeddingResponse r = provider.embed(new EmbeddingRequest("text-embedding-3-small", List.of("a", "b"), 8))
                .get(5, TimeUnit.SECONDS);

        assertThat(r.vectors()).hasSize(2);
        assertThat(r.vectors().get(1)[0]).isEqualTo(0.0066928477f);
        assertThat(r.usage().inputTokens()).isEqualTo(12);
        RecordedRequest req = taken();
        assertThat(req.path()).isEqualTo("/v1/embeddings");
        assertThat(req.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(req.json().toString()).isEqualTo("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":8}");
    }

    @Test
    void ollamaSendsNoAuthorization() throws Exception {
        ChatProvider ollama = new OpenAiFamilyFactory.Ollama().create(ProviderConfig.builder("local", "ollama")
                .baseUrl(server.baseUrl()).build());
        server.enqueue(RawResponse.json(200, Fixtures.text("chat-completion.json")));

        ollama.chat(hello()).get(5, TimeUnit.SECONDS);

        assertThat(taken().header("Authorization")).isNull();
    }

    @Test
    void maxCompletionTokensOption() throws Exception {
        ChatProvider reasoning = new OpenAiFamilyFactory.OpenAi().create(ProviderConfig.builder("o", "openai")
                .baseUrl(server.baseUrl()).apiKey(Secret.of("k")).option("max_tokens_param", "max_completion_tokens").build());
        server.enqueue(RawResponse.json(200, Fixtures.text("chat-completion.json")));

        reasoning.chat(hello().toBuilder().maxTokens(100).build()).get(5, TimeUnit.SECONDS);

        JsonNode body = taken().json();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(body.has("max_tokens")).isFalse();
    }
}
