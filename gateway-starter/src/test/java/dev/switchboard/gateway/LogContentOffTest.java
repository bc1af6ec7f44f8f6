package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.call_log.capture_content: false}: calls are still logged with everything else (attempts, tokens,
 * metadata), but neither their messages nor their replies are kept, so full-text search finds nothing of them.
 */
class LogContentOffTest {

    @Test
    void recordsKeepNoMessagesOrRepliesWhenContentLoggingIsOff() throws Exception {
        try (LogsFixture fx = LogsFixture.start(LogsFixture.inMemory("    capture_content: false\n"))) {
            fx.fake.enqueue(Reply.text("the parcel left on Monday"), Reply.chunks("streamed ", "answer"));
            String plain = id(fx.post("/v1/chat/completions", """
                    {"model": "fake/gpt-4o", "metadata": {"team": "quiet"},
                     "messages": [{"role": "user", "content": "where is parcel 7?"}]}""", Map.of()));
            String streamed = id(fx.post("/v1/chat/completions", """
                    {"model": "fake/gpt-4o", "stream": true, "messages": [{"role": "user", "content": "and parcel 8?"}]}""", Map.of()));
            String embedded = id(fx.post("/v1/embeddings", """
                    {"model": "fake/text-embedding-3-small", "input": "parcel 9"}""", Map.of()));
            fx.flush();

            for (String id : new String[] {plain, streamed, embedded}) {
                JsonNode r = fx.json("/v1/logs/" + id);
                assertThat(r.path("status").asText()).as(id).isEqualTo("success");
                assertThat(r.has("request_messages")).as(id).isFalse();
                assertThat(r.has("reply")).as(id).isFalse();
                assertThat(r.path("input_tokens").asLong()).as(id).isPositive();
                assertThat(r.toString()).as(id).doesNotContain("parcel");
            }
            assertThat(fx.json("/v1/logs/" + plain).at("/metadata/team").asText()).isEqualTo("quiet");
            assertThat(fx.json("/v1/logs?q=parcel").path("data")).isEmpty();
            assertThat(fx.json("/v1/logs").path("data")).hasSize(3);
        }
    }

    private static String id(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("x-switchboard-call-id").orElseThrow();
    }
}
