package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.count;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI {@code chat.completion} objects (as trees) and writes them (with a generator), and their usage. Stateless and thread-safe. */
final class ResponseCodec {
    private ResponseCodec() {
    }

    static ChatResponse read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiFormatException("", "a chat completion must be a JSON object, was " + JsonFields.kind(body));
        }
        List<JsonNode> raw = JsonFields.array(body, "choices", "");
        if (raw.isEmpty()) {
            throw new OpenAiFormatException("choices", "must be a non-empty array");
        }
        List<Choice> choices = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String p = path("choices", i);
            JsonNode c = JsonFields.object(raw.get(i), p);
            ChatMessage message = MessageReader.readAssistant(c.get("message"), path(p, "message"));
            choices.add(new Choice(c.path("index").asInt(i), message,
                    FinishReason.fromOpenAi(JsonFields.string(c, "finish_reason", p))));
        }
        Usage usage = usage(body.get("usage"));
        return new ChatResponse(body.path("id").textValue(), body.path("model").asText(""), choices,
                usage == null ? Usage.NONE : usage);
    }

    /**
     * Writes a {@code chat.completion} to {@code g} token by token, fields in the order the earlier tree-based writer put
     * them ({@code id, object, created, model, choices, usage}), null strings as JSON null. The caller owns {@code g}.
     */
    static void write(JsonGenerator g, ChatResponse r, String id, long created) throws IOException {
        g.writeStartObject();
        nullable(g, "id", id);
        g.writeStringField("object", "chat.completion");
        g.writeNumberField("created", created);
        g.writeStringField("model", r.model());
        g.writeArrayFieldStart("choices");
        for (Choice c : r.choices()) {
            g.writeStartObject();
            g.writeNumberField("index", c.index());
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            nullable(g, "content", c.message().content().isEmpty() ? null : c.message().text());
            if (!c.message().toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall t : c.message().toolCalls()) {
                    g.writeStartObject();
                    nullable(g, "id", t.id());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    nullable(g, "name", t.name());
                    nullable(g, "arguments", t.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            nullable(g, "finish_reason", finishReason(c.finishReason()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("usage");
        writeUsage(g, r.usage());
        g.writeEndObject();
    }

    /** The usage object of an answer or a stream's usage chunk. */
    static void writeUsage(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("prompt_tokens", u.inputTokens());
        g.writeNumberField("completion_tokens", u.outputTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", u.cachedInputTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A string field, JSON null for null. */
    static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /**
     * Usage of a completion or a stream's usage chunk, or null when absent. Cached prompt tokens come from
     * {@code prompt_tokens_details.cached_tokens}, or DeepSeek's {@code prompt_cache_hit_tokens}.
     */
    static Usage usage(JsonNode u) {
        if (absent(u) || !u.isObject()) {
            return null;
        }
        long cached = count(u.path("prompt_tokens_details").get("cached_tokens"));
        if (cached == 0) {
            cached = count(u.get("prompt_cache_hit_tokens"));
        }
        return new Usage(count(u.get("prompt_tokens")), count(u.get("completion_tokens")), cached);
    }

    /** The OpenAI wire name; reasons OpenAI does not define ({@code error}, {@code other}) are sent as {@code stop}. */
    static String finishReason(FinishReason f) {
        if (f == null) {
            return null;
        }
        return f == FinishReason.ERROR || f == FinishReason.OTHER ? "stop" : f.wireName();
    }
}
