package dev.switchboard.runtime.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.providers.support.ChunkAccumulator;
import dev.switchboard.runtime.providers.support.JsonHttp;
import dev.switchboard.spi.ChatChunk;
import dev.switchboard.spi.ChatResponse;
import dev.switchboard.spi.ChunkSink;
import dev.switchboard.spi.FinishReason;
import dev.switchboard.spi.ToolCallDelta;
import dev.switchboard.spi.http.SseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Messages API event stream: {@code message_start} (id, model, input usage), per content block
 * {@code content_block_start} / {@code content_block_delta} / {@code content_block_stop},
 * {@code message_delta} (stop reason, cumulative usage), then the terminal {@code message_stop};
 * {@code ping} and unknown events are ignored and an {@code error} event fails the stream.
 *
 * <p>Emits text deltas as text chunks, a {@code tool_use} block as tool-call fragments (id and name on
 * the first), the forced answer tool's input as text, and one chunk with finish reason and usage at
 * {@code message_delta}. One per stream; not thread-safe (events arrive sequentially).
 */
final class AnthropicStreamReader implements JsonHttp.StreamReader<ChatResponse> {
    private enum BlockKind { TEXT, TOOL, ANSWER, OTHER }

    private static final class Block {
        final BlockKind kind;
        final int toolIndex;
        final JsonNode startInput;
        final StringBuilder json = new StringBuilder();

        Block(BlockKind kind, int toolIndex, JsonNode startInput) {
            this.kind = kind;
            this.toolIndex = toolIndex;
            this.startInput = startInput;
        }
    }

    private final JsonHttp http;
    private final AnthropicErrors errors;
    private final String requestModel;
    private final AnswerTool answerTool;
    private final ChunkAccumulator chunks;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final Map<String, Long> usage = new HashMap<>();
    private int toolCount;
    private String id;
    private String model;
    private String lastEvent;
    private volatile boolean terminated;

    AnthropicStreamReader(JsonHttp http, AnthropicErrors errors, String requestModel, AnswerTool answerTool, ChunkSink sink) {
        this.http = http;
        this.errors = errors;
        this.requestModel = requestModel;
        this.answerTool = answerTool;
        this.chunks = new ChunkAccumulator(sink);
    }

    @Override
    public void onEvent(SseEvent event) {
        if (terminated) {
            return;
        }
        JsonNode data = http.eventData(requestModel, event.data());
        String type = data.path("type").isTextual() ? data.get("type").textValue() : event.event();
        lastEvent = type;
        switch (type) {
            case "message_start": start(data.path("message")); break;
            case "content_block_start": blockStart(data.path("index").asInt(), data.path("content_block")); break;
            case "content_block_delta": blockDelta(blocks.get(data.path("index").asInt()), data.path("delta")); break;
            case "content_block_stop": blockStop(blocks.get(data.path("index").asInt())); break;
            case "message_delta": messageDelta(data); break;
            case "message_stop": terminated = true; break;
            case "error": throw errors.fromEvent(data);
            default: break; // ping and event types added later
        }
    }

    private void start(JsonNode message) {
        id = AnthropicResponseReader.textOrNull(message.get("id"));
        model = AnthropicResponseReader.textOrNull(message.get("model"));
        addUsage(message.get("usage"));
    }

    private void blockStart(int index, JsonNode block) {
        String type = block.path("type").asText();
        if ("text".equals(type)) {
            blocks.put(index, new Block(BlockKind.TEXT, -1, null));
            String initial = block.path("text").asText("");
            if (!initial.isEmpty()) {
                chunks.emit(ChatChunk.text(initial));
            }
        } else if ("tool_use".equals(type)) {
            String name = block.path("name").asText();
            if (answerTool != null && answerTool.name().equals(name)) {
                blocks.put(index, new Block(BlockKind.ANSWER, -1, block.get("input")));
            } else {
                Block b = new Block(BlockKind.TOOL, toolCount++, block.get("input"));
                blocks.put(index, b);
                emitTool(new ToolCallDelta(b.toolIndex, block.path("id").asText(), name, ""));
            }
        } else {
            blocks.put(index, new Block(BlockKind.OTHER, -1, null)); // thinking, server tools
        }
    }

    private void blockDelta(Block block, JsonNode delta) {
        if (block == null) {
            return;
        }
        String type = delta.path("type").asText();
        if ("text_delta".equals(type) && block.kind == BlockKind.TEXT) {
            String text = delta.path("text").asText("");
            if (!text.isEmpty()) {
                chunks.emit(ChatChunk.text(text));
            }
        } else if ("input_json_delta".equals(type) && (block.kind == BlockKind.TOOL || block.kind == BlockKind.ANSWER)) {
            String fragment = delta.path("partial_json").asText("");
            if (fragment.isEmpty()) {
                return;
            }
            block.json.append(fragment);
            if (block.kind == BlockKind.TOOL) {
                emitTool(new ToolCallDelta(block.toolIndex, null, null, fragment));
            } else if (!answerTool.wrapped()) {
                chunks.emit(ChatChunk.text(fragment));
            }
        }
    }

    private void blockStop(Block block) {
        if (block == null || block.kind == BlockKind.TEXT || block.kind == BlockKind.OTHER) {
            return;
        }
        boolean noFragments = block.json.length() == 0;
        boolean startHasInput = block.startInput != null && block.startInput.isObject() && block.startInput.size() > 0;
        if (block.kind == BlockKind.TOOL) {
            if (noFragments && startHasInput) {
                emitTool(new ToolCallDelta(block.toolIndex, null, null, block.startInput.toString()));
            }
        } else if (answerTool.wrapped() || noFragments) {
            JsonNode input = noFragments ? (startHasInput ? block.startInput : JsonHttp.object())
                    : http.eventData(requestModel, block.json.toString());
            chunks.emit(ChatChunk.text(answerTool.answer(input)));
        }
    }

    private void messageDelta(JsonNode data) {
        addUsage(data.get("usage"));
        String stopReason = AnthropicResponseReader.textOrNull(data.path("delta").get("stop_reason"));
        FinishReason finish = AnthropicResponseReader.finishReason(stopReason, answerTool != null);
        chunks.emit(new ChatChunk(0, "", List.of(), finish, currentUsage()));
    }

    private void addUsage(JsonNode u) {
        if (u != null && u.isObject()) {
            u.properties().forEach(e -> {
                if (e.getValue().isNumber()) {
                    usage.put(e.getKey(), e.getValue().asLong());
                }
            });
        }
    }

    private Usage currentUsage() {
        return AnthropicResponseReader.usage(JsonHttp.mapper().valueToTree(usage));
    }

    private void emitTool(ToolCallDelta delta) {
        chunks.emit(new ChatChunk(0, "", List.of(delta), null, null));
    }

    @Override
    public boolean terminated() {
        return terminated;
    }

    @Override
    public ChatResponse result() {
        ChatResponse r = chunks.response(id, model != null ? model : requestModel);
        return usage.isEmpty() || !Usage.NONE.equals(r.usage()) ? r
                : new ChatResponse(r.id(), r.model(), r.choices(), currentUsage());
    }

    @Override
    public String progress() {
        return lastEvent == null ? "no event received" : "no message_stop after '" + lastEvent + "'";
    }
}
