package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatRequest;
import dev.switchboard.spi.ContentPart;
import dev.switchboard.spi.ResponseFormat;
import dev.switchboard.spi.Role;
import dev.switchboard.spi.ToolCall;
import dev.switchboard.spi.ToolChoice;
import dev.switchboard.spi.ToolDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OpenAiCodecRequestTest {
    private final OpenAiCodec codec = OpenAiCodec.shared();

    static ObjectNode weatherSchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties").putObject("location").put("type", "string");
        schema.putArray("required").add("location");
        return schema;
    }

    static ChatRequest fullRequest() {
        return ChatRequest.builder("gpt-4o")
                .message(ChatMessage.system("Be brief."))
                .message(new ChatMessage(Role.USER, List.of(ContentPart.text("What is this?"),
                        new ContentPart.Image("https://example.com/cat.png", "low")), List.of(), null, "alice"))
                .message(ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "get_weather", "{\"location\":\"Paris\"}"))))
                .message(ChatMessage.toolResult("call_1", "{\"temp\":21}"))
                .message(ChatMessage.user("And tomorrow?"))
                .temperature(0.2).topP(0.9).maxTokens(256).stop(List.of("END")).seed(7L).n(2)
                .tool(new ToolDefinition("get_weather", "Weather for a city", weatherSchema(), true))
                .toolChoice(ToolChoice.function("get_weather"))
                .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "weather", weatherSchema(), true))
                .includeUsage(true)
                .parameter("presence_penalty", 0.5)
                .parameter("logprobs", true)
                .parameter("top_logprobs", 3)
                .parameter("user", "u-42")
                .parameter("logit_bias", Map.of("50256", -100))
                .build();
    }

    @Test
    void writesEveryFeatureInTheOpenAiShape() {
        JsonNode body = codec.parse(codec.writeRequest(fullRequest(), true));

        assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
        JsonNode m = body.path("messages");
        assertThat(m.get(0).toString()).isEqualTo("{\"role\":\"system\",\"content\":\"Be brief.\"}");
        assertThat(m.get(1).toString()).isEqualTo("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\",\"detail\":\"low\"}}],\"name\":\"alice\"}");
        assertThat(m.get(2).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}}]}");
        assertThat(m.get(3).toString()).isEqualTo("{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\",\"tool_call_id\":\"call_1\"}");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("stop").toString()).isEqualTo("[\"END\"]");
        assertThat(body.path("seed").asLong()).isEqualTo(7);
        assertThat(body.path("n").asInt()).isEqualTo(2);
        assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/function/description").asText()).isEqualTo("Weather for a city");
        assertThat(body.at("/tools/0/function/parameters")).isEqualTo(weatherSchema());
        assertThat(body.at("/tools/0/function/strict").asBoolean()).isTrue();
        assertThat(body.path("tool_choice").toString()).isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/name").asText()).isEqualTo("weather");
        assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(weatherSchema());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(body.path("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(3);
        assertThat(body.path("user").asText()).isEqualTo("u-42");
        assertThat(body.at("/logit_bias/50256").asInt()).isEqualTo(-100);
    }

    @Test
    void plainRequestsOmitDefaultsAndStreamFields() {
        ChatRequest r = ChatRequest.builder("gpt-4o-mini").message(ChatMessage.user("Hi")).includeUsage(true).build();
        assertThat(new String(codec.writeRequest(r, false)))
                .isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    @Test
    void extraCannotOverrideTypedFields() {
        ChatRequest r = ChatRequest.builder("m").message(ChatMessage.user("Hi")).parameter("model", "evil")
                .parameter("messages", List.of()).parameter("frequency_penalty", 1).build();
        JsonNode body = codec.parse(codec.writeRequest(r, false));
        assertThat(body.path("model").asText()).isEqualTo("m");
        assertThat(body.path("messages").size()).isEqualTo(1);
        assertThat(body.path("frequency_penalty").asInt()).isEqualTo(1);
    }

    @Test
    void toolChoiceModes() {
        for (ToolChoice.Mode mode : List.of(ToolChoice.Mode.AUTO, ToolChoice.Mode.NONE, ToolChoice.Mode.REQUIRED)) {
            ChatRequest r = ChatRequest.builder("m").message(ChatMessage.user("Hi")).toolChoice(ToolChoice.of(mode)).build();
            JsonNode body = codec.parse(codec.writeRequest(r, false));
            assertThat(body.path("tool_choice").asText()).isEqualTo(mode.name().toLowerCase());
            assertThat(codec.readRequest(body).toolChoice()).isEqualTo(ToolChoice.of(mode));
        }
        ChatRequest json = ChatRequest.builder("m").message(ChatMessage.user("Hi")).responseFormat(ResponseFormat.JSON_OBJECT).build();
        assertThat(codec.parse(codec.writeRequest(json, false)).path("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void roundTripKeepsTheRequest() {
        for (boolean stream : new boolean[] {false, true}) {
            ChatRequest original = fullRequest();
            JsonNode written = codec.parse(codec.writeRequest(original, stream));
            ChatRequest read = codec.readRequest(written);

            assertThat(codec.parse(codec.writeRequest(read, stream))).isEqualTo(written);
            assertThat(read.messages()).isEqualTo(original.messages());
            assertThat(read.tools()).isEqualTo(original.tools());
            assertThat(read.toolChoice()).isEqualTo(original.toolChoice());
            assertThat(read.responseFormat()).isEqualTo(original.responseFormat());
            assertThat(read.maxTokens()).isEqualTo(256);
            assertThat(read.stop()).containsExactly("END");
            assertThat(read.seed()).isEqualTo(7L);
            assertThat(read.n()).isEqualTo(2);
            assertThat(read.extra()).containsEntry("user", "u-42").containsEntry("logprobs", true)
                    .containsEntry("top_logprobs", 3L).containsEntry("logit_bias", Map.of("50256", -100L));
            assertThat(codec.readStream(written)).isEqualTo(stream);
        }
    }

    @Test
    void readsClientVariants() {
        JsonNode body = codec.parse("{\"model\":\"gpt-4o\",\"unknown_field\":{\"x\":1},\"max_completion_tokens\":99,\"stop\":\"###\","
                + "\"messages\":[{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Rules\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"data:image/png;base64,AAAA\"}]},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"ok\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"required\","
                + "\"response_format\":{\"type\":\"text\"},\"stream\":true}");

        ChatRequest r = codec.readRequest(body);

        assertThat(r.messages().get(0).role()).isEqualTo(Role.SYSTEM);
        assertThat(r.messages().get(0).text()).isEqualTo("Rules");
        assertThat(((ContentPart.Image) r.messages().get(1).content().get(0)).dataMediaType()).isEqualTo("image/png");
        assertThat(r.messages().get(2).toolCalls()).containsExactly(new ToolCall("c1", "f", "{\"a\":1}"));
        assertThat(r.messages().get(3).toolCallId()).isEqualTo("c1");
        assertThat(r.maxTokens()).isEqualTo(99);
        assertThat(r.stop()).containsExactly("###");
        assertThat(r.tools().get(0).parameters()).isNull();
        assertThat(r.responseFormat()).isEqualTo(ResponseFormat.TEXT);
        assertThat(r.extra()).isEmpty();
        assertThat(codec.readStream(body)).isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|model: is required",
        "{\"model\":\"m\",\"messages\":[]}|messages: must be a non-empty array",
        "{\"model\":\"m\",\"messages\":{}}|messages: must be an array, was object",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"robot\",\"content\":\"c\"}]}|messages[2].role: unknown role 'robot'",
        "{\"model\":\"m\",\"messages\":[{\"content\":\"a\"}]}|messages[0].role: is required",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content: is required for role 'user'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}|messages[0].content: must be a string or an array of content parts",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}|messages[0].content[0].type: unsupported content part type 'input_audio'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}|messages[0].content[0].image_url.url: is required",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].tool_call_id: is required for role 'tool'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\"}]}]}|messages[0].tool_calls[0].function: must be an object",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\"}}]}]}|messages[0].tool_calls: only assistant messages carry tool calls",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}|temperature: must be a number",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}|temperature: must be between 0 and 2",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}|n: must be between 1 and 128",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[1]}|stop: must be a string or a list of strings",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}|tools[0].function.name: is required",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"web_search\"}]}|tools[0].type: unsupported tool type 'web_search'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"sometimes\"}|tool_choice: unknown value 'sometimes'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":{\"type\":\"function\",\"function\":{}}}|tool_choice.function.name: is required",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"yaml\"}}|response_format.type: unknown type 'yaml'",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}}|response_format.json_schema.schema: must be a JSON schema object",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":{\"include_usage\":\"yes\"}}|stream_options.include_usage: must be a boolean",
        "[1,2]|the request body must be a JSON object",
    })
    void invalidBodiesNameTheField(String json, String expected) {
        assertThatThrownBy(() -> codec.readRequest(codec.parse(json)))
                .isInstanceOf(OpenAiFormatException.class)
                .hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(expected).startsWith(((OpenAiFormatException) e).path()));
    }

    @Test
    void notJsonIsAFormatError() {
        assertThatThrownBy(() -> codec.parse("{\"model\":")).isInstanceOf(OpenAiFormatException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> codec.parse(new byte[0])).isInstanceOf(OpenAiFormatException.class);
    }
}
