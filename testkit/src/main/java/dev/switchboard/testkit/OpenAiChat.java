package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/** Renders OpenAI Chat Completions answers, whole or streamed. Stateless and thread-safe. */
final class OpenAiChat {

    private OpenAiChat() {
    }

    static byte[] completion(Reply reply, ObjectNode request, String model, String id, long created) {
        String text = Texts.replyText(reply, request);
        ObjectNode root = header(id, "chat.completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.finishReason());
        root.set("usage", usage(Texts.promptTokens(request), Texts.tokens(text)));
        return Json.bytes(root);
    }

    static void stream(Reply reply, ObjectNode request, String model, String id, long created, EventSink sink)
            throws IOException {
        String text = Texts.replyText(reply, request);
        List<String> chunks = Texts.replyChunks(reply, text);
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);

        ObjectNode first = chunk(id, created, model, includeUsage);
        ObjectNode firstDelta = delta(first);
        firstDelta.put("role", "assistant");
        firstDelta.put("content", "");
        sink.event(EventSink.data(Json.string(first)));
        for (String c : chunks) {
            ObjectNode node = chunk(id, created, model, includeUsage);
            delta(node).put("content", c);
            sink.content(EventSink.data(Json.string(node)));
        }
        sink.endOfContent();
        ObjectNode last = chunk(id, created, model, includeUsage);
        ((ObjectNode) last.path("choices").get(0)).put("finish_reason", reply.finishReason());
        sink.event(EventSink.data(Json.string(last)));
        if (includeUsage) {
            ObjectNode usage = header(id, "chat.completion.chunk", created, model);
            usage.putArray("choices");
            usage.set("usage", usage(Texts.promptTokens(request), Texts.tokens(text)));
            sink.event(EventSink.data(Json.string(usage)));
        }
        sink.event(EventSink.data("[DONE]"));
    }

    /** @return the start of a stream whose content event carries invalid JSON, then a normal terminator */
    static String malformedStream(String id) {
        return EventSink.data("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":"
                + "{\"content\":\"unterminated") + EventSink.data("[DONE]");
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", "fp_switchboard_testkit");
        return root;
    }

    private static ObjectNode chunk(String id, long created, String model, boolean includeUsage) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (includeUsage) {
            root.putNull("usage");
        }
        return root;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").get(0).path("delta");
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }
}
