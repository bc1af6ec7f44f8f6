package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiChatTest {

    private final FakeLlmServer server = FakeLlmServer.start();
    private final Http http = new Http();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void baseUrlIsLoopbackWithV1() {
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void defaultEchoesLastUserMessageInChatCompletionShape() throws Exception {
        HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("ping me back", false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode json = Http.json(r.body());
        assertThat(json.path("id").asText()).startsWith("chatcmpl-");
        assertThat(json.path("object").asText()).isEqualTo("chat.completion");
        assertThat(json.path("created").asLong()).isPositive();
        assertThat(json.path("model").asText()).isEqualTo("gpt-test");
        JsonNode choice = json.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("ping me back");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(5); // "be brief" + 3 words
        assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(json.path("usage").path("total_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void scriptedTextIsServedInOrderThenDefaultApplies() throws Exception {
        server.enqueue(Reply.text("first"), Reply.text("second").finishReason("length"));
        server.setDefault(Reply.text("fallback"));

        List<String> contents = new java.util.ArrayList<>();
        List<String> reasons = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode json = Http.json(http.post(server, "/chat/completions", Http.chat("x", false)).body());
            contents.add(json.at("/choices/0/message/content").asText());
            reasons.add(json.at("/choices/0/finish_reason").asText());
        }
        assertThat(contents).containsExactly("first", "second", "fallback", "fallback");
        assertThat(reasons).containsExactly("stop", "length", "stop", "stop");
    }

    @Test
    void streamSendsRoleChunkWordChunksFinishChunkUsageAndDone() throws Exception {
        server.enqueue(Reply.text("a b c"));
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}";

        Http.Stream s = http.stream(server, "/v1/chat/completions", body);

        assertThat(s.status()).isEqualTo(200);
        assertThat(s.contentType()).isEqualTo("text/event-stream");
        assertThat(s.error()).isNull();
        List<String> data = s.data();
        assertThat(data).hasSize(7).last().isEqualTo("[DONE]");
        JsonNode first = Http.json(data.get(0));
        assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(data.subList(1, 4)).extracting(d -> Http.json(d).at("/choices/0/delta/content").asText())
                .containsExactly("a", " b", " c");
        JsonNode finish = Http.json(data.get(4));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.at("/choices/0/delta").size()).isZero();
        JsonNode usage = Http.json(data.get(5));
        assertThat(usage.path("choices").size()).isZero();
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(2);
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(data.subList(0, 6)).allSatisfy(d -> assertThat(Http.json(d).path("id").asText())
                .isEqualTo(first.path("id").asText()));
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunkAndExplicitChunksAreKept() throws Exception {
        server.enqueue(Reply.chunks("Hel", "lo", "!"));

        Http.Stream s = http.stream(server, "/v1/chat/completions", Http.chat("q", true));

        List<String> data = s.data();
        assertThat(data).hasSize(6).last().isEqualTo("[DONE]");
        assertThat(data.subList(1, 4)).extracting(d -> Http.json(d).at("/choices/0/delta/content").asText())
                .containsExactly("Hel", "lo", "!");
        assertThat(data.subList(0, 5)).noneMatch(d -> Http.json(d).has("usage"));
    }

    @Test
    void errorStatusUsesOpenAiShapeAndRetryAfter() throws Exception {
        server.enqueue(Reply.status(429).retryAfterSeconds(7));

        HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("x", false));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("7");
        JsonNode error = Http.json(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("requests");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("message").asText()).contains("429");
    }

    @Test
    void timesRepeatsAndCustomErrorFieldsAreUsed() throws Exception {
        server.enqueue(Reply.status(503).times(2).errorMessage("down").errorType("overloaded").errorCode("busy"));

        int[] codes = new int[3];
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("x", false));
            codes[i] = r.statusCode();
            if (i == 0) {
                assertThat(Http.json(r.body()).path("error").path("message").asText()).isEqualTo("down");
                assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("overloaded");
                assertThat(Http.json(r.body()).at("/error/code").asText()).isEqualTo("busy");
            }
        }
        assertThat(codes).containsExactly(503, 503, 200);
    }

    @Test
    void unknownPathAnswers404AndInvalidJsonAnswers400() throws Exception {
        HttpResponse<String> notFound = http.post(server, "/v1/completions", "{}");
        HttpResponse<String> bad = http.post(server, "/v1/chat/completions", "not json");

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(Http.json(notFound.body()).at("/error/message").asText()).contains("/v1/completions");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void perPathScriptTakesPrecedenceOverServerScript() throws Exception {
        server.enqueue(Reply.text("global"));
        server.forPath("/v1/messages").enqueue(Reply.status(529)).setDefault(Reply.text("anthropic default"));

        HttpResponse<String> chat = http.post(server, "/v1/chat/completions", Http.chat("x", false));
        HttpResponse<String> msg1 = http.post(server, "/v1/messages", Http.anthropic("x", false));
        HttpResponse<String> msg2 = http.post(server, "/v1/messages", Http.anthropic("x", false));

        assertThat(Http.json(chat.body()).at("/choices/0/message/content").asText()).isEqualTo("global");
        assertThat(msg1.statusCode()).isEqualTo(529);
        assertThat(Http.json(msg2.body()).at("/content/0/text").asText()).isEqualTo("anthropic default");
    }
}
