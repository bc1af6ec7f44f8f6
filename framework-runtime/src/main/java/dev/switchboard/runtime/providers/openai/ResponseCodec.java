package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;
import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.count;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.Choice;
import dev.switchboard.spi.FinishReason;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes OpenAI {@code chat.completion} objects and their usage. Stateless and thread-safe. */
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

    static ObjectNode write(ChatResponse r, String id, long created) {
        ObjectNode o = NODES.objectNode().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", r.model());
        ArrayNode choices = o.putArray("choices");
        for (Choice c : r.choices()) {
            ObjectNode choice = choices.addObject().put("index", c.index());
            ObjectNode m = choice.putObject("message").put("role", "assistant");
            if (c.message().content().isEmpty()) {
                m.putNull("content");
            } else {
                m.put("content", c.message().text());
            }
            if (!c.message().toolCalls().isEmpty()) {
                ArrayNode calls = m.putArray("tool_calls");
                c.message().toolCalls().forEach(t -> calls.add(RequestWriter.toolCall(t)));
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason(c.finishReason()));
        }
        o.set("usage", writeUsage(r.usage()));
        return o;
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

    static ObjectNode writeUsage(Usage u) {
        ObjectNode o = NODES.objectNode().put("prompt_tokens", u.inputTokens()).put("completion_tokens", u.outputTokens())
                .put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        return o;
    }

    /** The OpenAI wire name; reasons OpenAI does not define ({@code error}, {@code other}) are sent as {@code stop}. */
    static String finishReason(FinishReason f) {
        if (f == null) {
            return null;
        }
        return f == FinishReason.ERROR || f == FinishReason.OTHER ? "stop" : f.wireName();
    }
}
