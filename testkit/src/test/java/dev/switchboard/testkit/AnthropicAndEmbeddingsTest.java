package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnthropicAndEmbeddingsTest {

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void anthropicMessageShape() throws Exception {
        HttpResponse<String> r = http.post(server, "/v1/messages", Http.anthropic("hello claude", false));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = Http.json(r.body());
        assertThat(json.path("id").asText()).startsWith("msg_");
        assertThat(json.path("type").asText()).isEqualTo("message");
        assertThat(json.path("role").asText()).isEqualTo("assistant");
        assertThat(json.path("model").asText()).isEqualTo("claude-test");
        assertThat(json.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(json.at("/content/0/text").asText()).isEqualTo("hello claude");
        assertThat(json.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(json.path("stop_sequence").isNull()).isTrue();
        assertThat(json.at("/usage/input_tokens").asInt()).isEqualTo(4);
        assertThat(json.at("/usage/output_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void anthropicStreamEventOrder() throws Exception {
        server.enqueue(Reply.text("one two three").finishReason("length"));

        Http.Stream s = http.stream(server, "/messages", Http.anthropic("q", true));

        assertThat(s.error()).isNull();
        assertThat(s.contentType()).isEqualTo("text/event-stream");
        assertThat(s.events()).containsExactly("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop");
        List<JsonNode> data = s.data().stream().map(Http::json).toList();
        assertThat(data).extracting(d -> d.path("type").asText()).containsExactlyElementsOf(s.events());
        assertThat(data.get(0).at("/message/model").asText()).isEqualTo("claude-test");
        assertThat(data.subList(3, 6)).extracting(d -> d.at("/delta/text").asText())
                .containsExactly("one", " two", " three");
        assertThat(data.get(3).at("/delta/type").asText()).isEqualTo("text_delta");
        assertThat(data.get(7).at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(data.get(7).at("/usage/output_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void anthropicErrorShape() throws Exception {
        server.enqueue(Reply.status(529), Reply.status(429).retryAfterSeconds(2));

        HttpResponse<String> overloaded = http.post(server, "/v1/messages", Http.anthropic("q", false));
        HttpResponse<String> limited = http.post(server, "/v1/messages", Http.anthropic("q", true));

        assertThat(overloaded.statusCode()).isEqualTo(529);
        JsonNode json = Http.json(overloaded.body());
        assertThat(json.path("type").asText()).isEqualTo("error");
        assertThat(json.at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(json.at("/error/message").asText()).isNotBlank();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Http.json(limited.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void embeddingsAreDeterministicUnitVectors() throws Exception {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha beta\",\"gamma\",\"alpha beta\"]}";

        JsonNode json = Http.json(http.post(server, "/v1/embeddings", body).body());
        JsonNode again = Http.json(http.post(server, "/embeddings", "{\"input\":\"gamma\"}").body());

        assertThat(json.path("object").asText()).isEqualTo("list");
        assertThat(json.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(json.path("data")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode item = json.path("data").get(i);
            assertThat(item.path("object").asText()).isEqualTo("embedding");
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(item.path("embedding")).hasSize(8);
            double norm = 0;
            for (JsonNode v : item.path("embedding")) {
                norm += v.asDouble() * v.asDouble();
            }
            assertThat(norm).isCloseTo(1.0, within(1e-5));
        }
        assertThat(json.at("/data/0/embedding")).isEqualTo(json.at("/data/2/embedding"));
        assertThat(json.at("/data/0/embedding")).isNotEqualTo(json.at("/data/1/embedding"));
        assertThat(again.at("/data/0/embedding")).isEqualTo(json.at("/data/1/embedding"));
        assertThat(again.path("model").asText()).isEqualTo("fake-model");
        assertThat(json.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
        assertThat(json.at("/usage/total_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void embeddingDimensionsAndBase64Encoding() throws Exception {
        try (FakeLlmServer wide = FakeLlmServer.start(ServerConfig.builder().embeddingDimensions(16).build())) {
            JsonNode json = Http.json(http.post(wide, "/v1/embeddings", "{\"input\":\"x\"}").body());
            JsonNode sized = Http.json(http.post(wide, "/v1/embeddings", "{\"input\":\"x\",\"dimensions\":4}").body());
            JsonNode b64 = Http.json(http.post(wide, "/v1/embeddings",
                    "{\"input\":\"x\",\"encoding_format\":\"base64\"}").body());

            assertThat(json.at("/data/0/embedding")).hasSize(16);
            assertThat(sized.at("/data/0/embedding")).hasSize(4);
            ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertThat(buf.remaining()).isEqualTo(16 * 4);
            for (int i = 0; i < 16; i++) {
                assertThat(buf.getFloat()).isEqualTo(json.at("/data/0/embedding/" + i).floatValue());
            }
        }
    }

    @Test
    void embeddingErrorsUseOpenAiShape() throws Exception {
        server.enqueue(Reply.status(401));

        HttpResponse<String> r = http.post(server, "/v1/embeddings", "{\"input\":\"x\"}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Http.json(r.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
    }
}
