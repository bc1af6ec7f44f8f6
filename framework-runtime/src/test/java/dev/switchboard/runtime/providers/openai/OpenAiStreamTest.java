package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.http.HttpResult;
import dev.switchboard.spi.http.SseEvent;
import dev.switchboard.spi.http.SseParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One OpenAI stream fed event by event: chunks read on the streaming path and on the tree path, errors, malformed events. */
class OpenAiStreamTest {
    private static final HttpResult OK = new HttpResult(200, Map.of(), new byte[0]);
    private final List<ChatChunk> chunks = new ArrayList<>();
    private final OpenAiStream stream = new OpenAiStream(OpenAiCodec.shared(), "oai", "gpt-4o", chunks::add, new CompletableFuture<>());

    @Test
    void readsAStreamToItsAnswer() {
        SseParser parser = new SseParser(stream);
        Fixtures.text("chat-stream.sse").lines().forEach(parser::line);
        parser.end();

        ChatResponse answer = stream.finish(OK);

        assertThat(chunks).extracting(ChatChunk::text).contains("Hello", "!", " How");
        assertThat(answer.id()).isEqualTo("chatcmpl-BQ45kYb2Wm7sNc0pLq3RtVx9ZaE1H");
        assertThat(answer.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(answer.text()).isEqualTo("Hello! How can I help you today?");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(answer.usage()).isEqualTo(Usage.of(19, 10));
    }

    @Test
    void chunksOnEitherPathFoldIntoOneAnswer() {
        event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}"); // no id or model yet
        event("{\"id\":\"c-1\",\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me look.\","
                + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"find\",\"arguments\":\"\"}}]}}]}");
        // arguments sent as a JSON value: only the tree reader reads those
        event("{\"id\":\"c-2\",\"model\":\"m-2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":{\"q\":\"x\"}}}]},\"finish_reason\":\"tool_calls\"}]}");
        event("{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}");
        event("[DONE]");
        event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"after the end\"}}]}");

        ChatResponse answer = stream.finish(OK);

        assertThat(answer.id()).isEqualTo("c-1");
        assertThat(answer.model()).isEqualTo("m-1");
        assertThat(answer.text()).isEqualTo("Let me look.");
        assertThat(answer.message().toolCalls()).containsExactly(new ToolCall("call_1", "find", "{\"q\":\"x\"}"));
        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.usage()).isEqualTo(Usage.of(7, 3));
    }

    @Test
    void anErrorObjectFailsTheStreamWithTheErrorItReports() {
        event("{\"id\":\"c-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}");

        ProviderException e = failure("{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");

        assertThat(e.getMessage()).contains("The server is overloaded");
        assertThat(e.errorCode()).isEqualTo("server_error");
        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e.retryable()).isTrue();
        assertThat(chunks).extracting(ChatChunk::text).containsExactly("Hello");
        assertThat(failure("{\"error\":{\"message\":\"busy\",\"code\":503}}").statusCode()).isEqualTo(503);
        assertThat(failure("{\"error\":\"model not found\"}").getMessage()).contains("model not found");
    }

    @Test
    void anErrorEventFailsTheStreamWhateverItsData() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> stream.onEvent(new SseEvent("error", "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", null)));

        assertThat(e.getMessage()).contains("an error object without message");
        assertThat(chunks).isEmpty();
    }

    @Test
    void malformedEventsFailTheStreamNamingTheProblem() {
        assertThat(failure("{\"choices\":[{\"index\":0,\"delta\":{}},{\"finish_reason\":3}]}").getMessage())
                .isEqualTo("malformed answer from oai: stream chunk choices[1].finish_reason: must be a string, was number");
        assertThat(failure("{\"choices\":[{\"delta\":{\"tool_calls\":\"x\"}}]}").getMessage())
                .isEqualTo("malformed answer from oai: stream chunk choices[0].delta.tool_calls: must be an array, was string");
        assertThat(failure("[1]").getMessage())
                .isEqualTo("malformed answer from oai: stream chunk a chat completion chunk must be a JSON object, was array");
        ProviderException notJson = failure("{\"choices\":[{\"delta\":{\"content\":\"Hi\"");
        assertThat(notJson.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(notJson.getMessage()).startsWith("malformed answer from oai: stream event is not valid JSON: ");
        assertThat(chunks).isEmpty();
    }

    private void event(String data) {
        stream.onEvent(new SseEvent("message", data, null));
    }

    private ProviderException failure(String data) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> event(data));
        assertThat(e).as("failure for %s", data).isNotNull();
        return e;
    }
}
