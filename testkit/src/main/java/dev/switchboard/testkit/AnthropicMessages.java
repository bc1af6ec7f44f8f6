package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/** Renders Anthropic Messages answers, whole or streamed. Stateless and thread-safe. */
final class AnthropicMessages {

    private AnthropicMessages() {
    }

    static byte[] message(Reply reply, ObjectNode request, String model, String id) {
        String text = Texts.replyText(reply, request);
        ObjectNode root = envelope(id, model);
        ObjectNode block = root.putArray("content").addObject();
        block.put("type", "text");
        block.put("text", text);
        root.put("stop_reason", stopReason(reply));
        root.putNull("stop_sequence");
        ObjectNode usage = root.putObject("usage");
        usage.put("input_tokens", Texts.promptTokens(request));
        usage.put("output_tokens", Texts.tokens(text));
        return Json.bytes(root);
    }

    static void stream(Reply reply, ObjectNode request, String model, String id, EventSink sink)
            throws IOException {
        String text = Texts.replyText(reply, request);
        List<String> chunks = Texts.replyChunks(reply, text);

        ObjectNode start = Json.object();
        start.put("type", "message_start");
        ObjectNode message = envelope(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode startUsage = message.putObject("usage");
        startUsage.put("input_tokens", Texts.promptTokens(request));
        startUsage.put("output_tokens", 1);
        start.set("message", message);
        sink.event(EventSink.named("message_start", Json.string(start)));

        sink.event(EventSink.named("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        sink.event(EventSink.named("ping", "{\"type\":\"ping\"}"));
        for (String c : chunks) {
            ObjectNode delta = Json.object();
            delta.put("type", "content_block_delta");
            delta.put("index", 0);
            ObjectNode d = delta.putObject("delta");
            d.put("type", "text_delta");
            d.put("text", c);
            sink.content(EventSink.named("content_block_delta", Json.string(delta)));
        }
        sink.endOfContent();
        sink.event(EventSink.named("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));

        ObjectNode end = Json.object();
        end.put("type", "message_delta");
        ObjectNode d = end.putObject("delta");
        d.put("stop_reason", stopReason(reply));
        d.putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", Texts.tokens(text));
        sink.event(EventSink.named("message_delta", Json.string(end)));
        sink.event(EventSink.named("message_stop", "{\"type\":\"message_stop\"}"));
    }

    /** @return a stream whose content event carries invalid JSON, then a normal {@code message_stop} */
    static String malformedStream() {
        return EventSink.named("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"unterm")
                + EventSink.named("message_stop", "{\"type\":\"message_stop\"}");
    }

    private static ObjectNode envelope(String id, String model) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        return root;
    }

    private static String stopReason(Reply reply) {
        switch (reply.finishReason()) {
            case "stop": return "end_turn";
            case "length": return "max_tokens";
            case "tool_calls": return "tool_use";
            default: return reply.finishReason();
        }
    }
}
