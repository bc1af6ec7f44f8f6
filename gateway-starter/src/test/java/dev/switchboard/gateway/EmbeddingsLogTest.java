package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} goes through the engine: retried under the body's {@code retry}, answered with the
 * {@code x-switchboard-*} headers, and logged with its attempts, metadata, inputs and tokens, searchable like a chat
 * call; {@code fallbacks} is refused.
 */
class EmbeddingsLogTest {
    private static LogsFixture fx;

    @BeforeAll
    static void start() {
        fx = LogsFixture.start(LogsFixture.inMemory(null));
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.fake.reset();
    }

    @Test
    void aRetriedEmbeddingsCallIsAnsweredAndLoggedWithItsAttemptsAndMetadata() throws Exception {
        fx.fake.enqueue(Reply.status(503));
        HttpResponse<String> r = fx.post("/v1/embeddings", """
                {"model": "fake/text-embedding-3-small", "input": ["parcel 7", "mail ann@example.com"],
                 "retry": {"count": 1, "on_codes": [503]}, "metadata": {"team": "green"}}""", Map.of());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(LogsFixture.JSON.readTree(r.body()).path("data")).hasSize(2);
        assertThat(r.headers().firstValue("x-switchboard-attempts")).hasValue("2");
        assertThat(r.headers().firstValue("x-switchboard-provider")).hasValue("fake");
        assertThat(fx.fake.requestCount()).isEqualTo(2);
        String id = r.headers().firstValue("x-switchboard-call-id").orElseThrow();

        fx.flush();
        JsonNode rec = fx.json("/v1/logs/" + id);
        assertThat(rec.path("status").asText()).isEqualTo("success");
        assertThat(rec.path("provider").asText()).isEqualTo("fake");
        assertThat(rec.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(rec.path("attempts")).hasSize(2);
        assertThat(rec.at("/attempts/0/status").asInt()).isEqualTo(503);
        assertThat(rec.at("/attempts/1/outcome").asText()).isEqualTo("success");
        assertThat(rec.path("input_tokens").asLong()).isPositive();
        assertThat(rec.at("/metadata/team").asText()).isEqualTo("green");
        assertThat(rec.at("/request_messages/0/role").asText()).isEqualTo("input");
        assertThat(rec.at("/request_messages/0/content").asText()).isEqualTo("parcel 7");
        assertThat(rec.at("/request_messages/1/content").asText()).doesNotContain("ann@example.com");
        assertThat(fx.json("/v1/logs?metadata.team=green").at("/data/0/id").asText()).isEqualTo(id);
    }

    @Test
    void aFailedEmbeddingsCallIs502AndLoggedAsAnError() throws Exception {
        fx.fake.enqueue(Reply.status(500).errorMessage("the embedder broke"));
        HttpResponse<String> r = fx.post("/v1/embeddings", """
                {"model": "fake/text-embedding-3-small", "input": "x", "metadata": {"team": "grey"}}""", Map.of());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("fake");
        fx.flush();
        JsonNode page = fx.json("/v1/logs?metadata.team=grey");
        assertThat(page.path("data")).hasSize(1);
        assertThat(page.at("/data/0/status").asText()).isEqualTo("error");
    }

    @Test
    void fallbacksAreRefusedForEmbeddings() throws Exception {
        HttpResponse<String> r = fx.post("/v1/embeddings", """
                {"model": "fake/text-embedding-3-small", "input": "x", "fallbacks": ["backup/gpt-4o"]}""", Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(LogsFixture.JSON.readTree(r.body()).at("/error/param").asText()).isEqualTo("fallbacks");
        assertThat(fx.fake.requestCount()).isZero();
    }
}
