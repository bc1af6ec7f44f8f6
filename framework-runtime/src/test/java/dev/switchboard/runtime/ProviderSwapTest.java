package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Completion;
import dev.switchboard.api.Deployment;
import dev.switchboard.api.Model;
import dev.switchboard.api.UserMessage;
import dev.switchboard.api.Var;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One annotated interface, five vendors, swapped by configuration only: every provider entry points at a
 * fake server that answers with that vendor's own fixtures (its wire format, on its own path), rewritten
 * to carry the same answer; the caller sees the same results whichever model the deployment names. The
 * built-in providers are reached through their type names only.
 */
class ProviderSwapTest {

    record Capital(String country, String city) {
    }

    @Deployment("geo")
    @Model("openai/gpt-4o-mini")
    interface Geography {
        @UserMessage("{{q}}")
        String answer(@Var("q") String q);

        @UserMessage("{{q}}")
        Stream<String> stream(@Var("q") String q);

        @UserMessage("{{q}}")
        Capital capital(@Var("q") String q);

        @UserMessage("{{q}}")
        Completion<String> complete(@Var("q") String q);
    }

    private static final String ANSWER = "Paris is the capital of France.";
    private static final List<String> TOKENS = List.of("Paris", " is", " the capital", " of France.");
    private static final Capital CAPITAL = new Capital("France", "Paris");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENT_END = Pattern.compile("\r\n\r\n|\n\n");

    /**
     * A vendor as the fake server plays it.
     *
     * @param model      the model reference the deployment is swapped to
     * @param chatPath   where plain calls go
     * @param streamPath where streams go
     * @param plain      the plain answer body for a text
     * @param stream     the SSE body for tokens
     * @param structured the plain answer body for a structured answer (a JSON object)
     */
    record Vendor(String model, String chatPath, String streamPath, Function<String, String> plain,
                  Function<List<String>, String> stream, Function<ObjectNode, String> structured) {
        @Override
        public String toString() {
            return model;
        }
    }

    static Stream<Vendor> vendors() {
        return Stream.of(
                new Vendor("openai/gpt-4o-mini", "/v1/chat/completions", "/v1/chat/completions",
                        text -> json("openai/chat-completion.json", "/choices/0/message/content", text),
                        tokens -> sse("openai/chat-stream.sse", "/choices/0/delta/content", tokens),
                        answer -> json("openai/chat-completion.json", "/choices/0/message/content", answer.toString())),
                new Vendor("anthropic/claude-sonnet-4-5", "/v1/messages", "/v1/messages",
                        text -> json("anthropic/message.json", "/content/0/text", text),
                        tokens -> sse("anthropic/message-stream.sse", "/delta/text", tokens),
                        ProviderSwapTest::anthropicAnswerTool),
                new Vendor("cohere/command-a-03-2025", "/v2/chat", "/v2/chat",
                        text -> json("cohere/chat.json", "/message/content/0/text", text),
                        tokens -> sse("cohere/chat-stream.sse", "/delta/message/content/text", tokens),
                        answer -> json("cohere/chat.json", "/message/content/0/text", answer.toString())),
                new Vendor("gemini/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent",
                        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                        text -> json("gemini/generate-content.json", "/candidates/0/content/parts/0/text", text),
                        tokens -> sse("gemini/stream.sse", "/candidates/0/content/parts/0/text", tokens),
                        answer -> json("gemini/generate-content.json", "/candidates/0/content/parts/0/text", answer.toString())),
                new Vendor("azure-eu/gpt-4o", "/openai/deployments/gpt-4o/chat/completions",
                        "/openai/deployments/gpt-4o/chat/completions",
                        text -> json("azure-openai/chat-completion.json", "/choices/0/message/content", text),
                        tokens -> sse("azure-openai/chat-stream.sse", "/choices/0/delta/content", tokens),
                        answer -> json("azure-openai/chat-completion.json", "/choices/0/message/content", answer.toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void theCallerSeesTheSameResultsWhicheverProviderAnswers(Vendor vendor) {
        try (FakeLlmServer server = FakeLlmServer.start();
             Switchboard sb = Fixtures.builder("""
                     providers:
                       openai:    { type: openai,       base_url: "%1$s/v1", api_key: sk-test }
                       anthropic: { type: anthropic,    base_url: "%1$s",    api_key: sk-ant-test }
                       cohere:    { type: cohere,       base_url: "%1$s",    api_key: co-test }
                       gemini:    { type: gemini,       base_url: "%1$s",    api_key: gm-test }
                       azure-eu:  { type: azure-openai, base_url: "%1$s",    api_key: az-test }
                     deployments:
                       geo: { model: %2$s }
                     """.formatted(server.rootUrl(), vendor.model())).build()) {
            Geography geo = sb.create(Geography.class);

            server.raw("POST", vendor.chatPath(), RawResponse.json(200, vendor.plain().apply(ANSWER)));
            assertThat(geo.answer("What is the capital of France?")).isEqualTo(ANSWER);

            Completion<String> c = geo.complete("What is the capital of France?");
            assertThat(c.content()).isEqualTo(ANSWER);
            assertThat(c.provider()).isEqualTo(vendor.model().substring(0, vendor.model().indexOf('/')));
            assertThat(c.usage().inputTokens()).isPositive();
            assertThat(c.usage().outputTokens()).isPositive();
            assertThat(c.finishReason()).isEqualTo("stop");

            server.raw("POST", vendor.chatPath(), RawResponse.json(200, vendor.structured().apply(JSON.valueToTree(CAPITAL))));
            assertThat(geo.capital("Which city is the capital of France?")).isEqualTo(CAPITAL);

            server.raw("POST", vendor.streamPath(), RawResponse.sse(200, vendor.stream().apply(TOKENS)));
            try (Stream<String> tokens = geo.stream("What is the capital of France?")) {
                assertThat(tokens.collect(Collectors.joining())).isEqualTo(ANSWER);
            }

            assertThat(server.requests()).extracting(r -> r.path())
                    .containsExactly(vendor.chatPath(), vendor.chatPath(), vendor.chatPath(), vendor.streamPath());
        }
    }

    /** Anthropic answers structured output through a forced tool named after the schema, its input the answer. */
    private static String anthropicAnswerTool(ObjectNode answer) {
        JsonNode body = tree("anthropic/message-tool-use.json");
        ObjectNode toolUse = (ObjectNode) body.at("/content/1");
        toolUse.put("name", Capital.class.getSimpleName());
        toolUse.set("input", answer);
        return body.toString();
    }

    /** A JSON fixture with the value at {@code pointer} replaced by {@code text}. */
    private static String json(String fixture, String pointer, String text) {
        JsonNode body = tree(fixture);
        set(body, pointer, text);
        return body.toString();
    }

    /**
     * An SSE fixture whose text events (those with a non-empty string at {@code pointer}) are replaced by
     * one event per token: the first text event is the template of all tokens but the last, the last text
     * event the template of the last token (it may carry the finish reason). Events before and after are
     * kept verbatim, with the fixture's own framing (CRLF for Gemini).
     */
    private static String sse(String fixture, String pointer, List<String> tokens) {
        String body = text(fixture);
        List<String> events = new ArrayList<>();
        Matcher end = EVENT_END.matcher(body);
        int start = 0;
        while (end.find()) {
            events.add(body.substring(start, end.end()));
            start = end.end();
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < events.size(); i++) {
            if (!textAt(events.get(i), pointer).isEmpty()) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        assertThat(first).as("text events in %s", fixture).isNotNegative();
        StringBuilder out = new StringBuilder();
        events.subList(0, first).forEach(out::append);
        for (int t = 0; t < tokens.size(); t++) {
            out.append(withText(events.get(t == tokens.size() - 1 ? last : first), pointer, tokens.get(t)));
        }
        events.subList(last + 1, events.size()).forEach(out::append);
        return out.toString();
    }

    private static String textAt(String event, String pointer) {
        JsonNode data = data(event);
        return data == null ? "" : data.at(pointer).asText("");
    }

    private static String withText(String event, String pointer, String text) {
        String line = dataLine(event);
        JsonNode data = data(event);
        set(data, pointer, text);
        return event.replace(line, "data: " + data);
    }

    private static String dataLine(String event) {
        return event.lines().filter(l -> l.startsWith("data:")).findFirst().orElse("");
    }

    private static JsonNode data(String event) {
        String line = dataLine(event);
        try {
            return line.isEmpty() ? null : JSON.readTree(line.substring("data:".length()));
        } catch (IOException notJson) {
            return null; // data: [DONE]
        }
    }

    private static void set(JsonNode root, String pointer, String text) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        if (parent instanceof ArrayNode array) {
            array.set(p.last().getMatchingIndex(), TextNode.valueOf(text));
        } else {
            assertThat(parent.has(p.last().getMatchingProperty())).as("%s in the fixture", pointer).isTrue();
            ((ObjectNode) parent).put(p.last().getMatchingProperty(), text);
        }
    }

    private static JsonNode tree(String fixture) {
        try {
            return JSON.readTree(text(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String fixture) {
        try (InputStream in = ProviderSwapTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            assertThat(in).as("fixture %s", fixture).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
