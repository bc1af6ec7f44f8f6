package dev.switchboard.runtime.providers.cohere;

import static dev.switchboard.runtime.providers.support.ProviderTestSupport.await;
import static dev.switchboard.runtime.providers.support.ProviderTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderConfig;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CohereResponseTest {
    private FakeLlmServer server;
    private ChatProvider provider;

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
    void plainChat() {
        server.enqueue(RawResponse.json(200, fixture("cohere/chat.json")));
        ChatResponse r = await(provider.chat(ask()));
        assertThat(r.id()).isEqualTo("c14c80c3-18eb-4519-9460-6c92edd8cfb4");
        assertThat(r.model()).isEqualTo("command-a-03-2025");
        assertThat(r.text()).startsWith("LLMs stand for Large Language Models").endsWith("human language.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.message().toolCalls()).isEmpty();
        assertThat(r.usage()).isEqualTo(new Usage(71, 26, 0));
    }

    @Test
    void toolCallsWithToolPlanAsText() {
        server.enqueue(RawResponse.json(200, fixture("cohere/chat-tool-call.json")));
        ChatResponse r = await(provider.chat(ask()));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.text()).startsWith("I will first find the sales summary");
        assertThat(r.message().toolCalls()).containsExactly(
                new ToolCall("query_daily_sales_report_hgxxmkby3wta", "query_daily_sales_report", "{\"day\": \"2023-09-29\"}"),
                new ToolCall("query_product_catalog_rpg0z5h8yyz2", "query_product_catalog", "{\"category\": \"Electronics\"}"));
        assertThat(r.usage()).isEqualTo(new Usage(1032, 124, 0));
    }

    @Test
    void structuredAnswerAndFloatUsageWithCachedTokens() {
        server.enqueue(RawResponse.json(200, "{\"id\":\"x\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\","
                + "\"thinking\":\"hmm\"},{\"type\":\"text\",\"text\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]},\"finish_reason\":\"MAX_TOKENS\","
                + "\"usage\":{\"billed_units\":{\"input_tokens\":5.0,\"output_tokens\":9.0},\"tokens\":{\"input_tokens\":120.0,"
                + "\"output_tokens\":9.0},\"cached_tokens\":64.0}}"));
        ChatResponse r = await(provider.chat(ask().toBuilder().responseFormat(ResponseFormat.JSON_OBJECT).build()));
        assertThat(r.text()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(new Usage(120, 9, 64));
    }

    @Test
    void finishReasonsMap() {
        assertThat(CohereResponseReader.finishReason("COMPLETE")).isEqualTo(FinishReason.STOP);
        assertThat(CohereResponseReader.finishReason("STOP_SEQUENCE")).isEqualTo(FinishReason.STOP);
        assertThat(CohereResponseReader.finishReason("MAX_TOKENS")).isEqualTo(FinishReason.LENGTH);
        assertThat(CohereResponseReader.finishReason("TOOL_CALL")).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(CohereResponseReader.finishReason("ERROR")).isEqualTo(FinishReason.ERROR);
        assertThat(CohereResponseReader.finishReason("TIMEOUT")).isEqualTo(FinishReason.ERROR);
        assertThat(CohereResponseReader.finishReason("NEW_ONE")).isEqualTo(FinishReason.OTHER);
        assertThat(CohereResponseReader.finishReason(null)).isNull();
    }
}
