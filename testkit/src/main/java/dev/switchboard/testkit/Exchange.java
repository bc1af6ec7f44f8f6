package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Answers one recorded request with one {@link Behavior}: renders replies in the path's wire format, serves
 * raw responses, and injects faults. Created per request and used by its handler thread only.
 */
final class Exchange {

    private static final String JSON = "application/json";
    private static final String SSE = "text/event-stream";

    private final ServerContext ctx;
    private final Connection conn;
    private final RecordedRequest req;
    private final boolean keepAlive;
    private final WireFormat format;
    private final RawResponse route;
    private final ObjectNode body;

    Exchange(ServerContext ctx, Connection conn, RecordedRequest req, boolean keepAlive) {
        this.ctx = ctx;
        this.conn = conn;
        this.req = req;
        this.keepAlive = keepAlive;
        this.format = WireFormat.of(req.method(), req.path());
        this.route = ctx.book().rawRoute(req.method(), req.path());
        this.body = Json.parseObject(req.bodyBytes());
    }

    /** @return whether the connection may serve another request */
    boolean run(Behavior behavior) throws IOException {
        try {
            if (behavior instanceof Fault) {
                return fault((Fault) behavior);
            }
            if (behavior instanceof RawResponse) {
                return raw((RawResponse) behavior, -1);
            }
            return reply((Reply) behavior);
        } catch (EventSink.StreamCut cut) {
            conn.closeGracefully();
            return false;
        }
    }

    private boolean reply(Reply r) throws IOException {
        conn.pause(r.latency());
        if (r.isError()) {
            return send(r.status(), format.errorBody(r), r.headers());
        }
        if (route != null) {
            return raw(route, -1);
        }
        if (format == WireFormat.NONE) {
            return send(404, format.errorBody(404, null, null,
                    "no fake endpoint for " + req.method() + ' ' + req.path()), r.headers());
        }
        if (body == null) {
            return send(400, format.errorBody(400, null, null, "request body must be a JSON object"), List.of());
        }
        if (streaming()) {
            return stream(r, -1);
        }
        return send(200, success(r, body), r.headers());
    }

    private boolean fault(Fault f) throws IOException {
        switch (f.kind()) {
            case CONNECTION_RESET:
                conn.reset();
                return false;
            case CLOSE_WITHOUT_ANSWER:
                conn.closeGracefully();
                return false;
            case STALL:
                conn.pause(null); // returns only by exception: the client or the server closed
                conn.closeGracefully();
                return false;
            case MALFORMED_JSON:
                return malformed();
            case STREAM_CUT:
                if (route != null && route.isSse()) {
                    return raw(route, f.cutAfter());
                }
                if (format != WireFormat.NONE && streaming()) {
                    conn.pause(f.source().latency());
                    return stream(f.source(), f.cutAfter());
                }
                return cutBody(f.source());
            case BODY_CUT_HALFWAY:
            default:
                return cutBody(f.source());
        }
    }

    private boolean malformed() throws IOException {
        if (format != WireFormat.NONE && streaming()) {
            Transfer t = ctx.config().streamTransfer();
            BodyWriter w = BodyWriter.open(conn, 200, SSE, t, -1, keepAlive, List.of());
            w.part(format == WireFormat.ANTHROPIC_MESSAGES ? AnthropicMessages.malformedStream()
                    : OpenAiChat.malformedStream("chatcmpl-fake" + ctx.nextId()));
            w.finish();
            return reusable(t);
        }
        byte[] broken = "{\"id\":\"chatcmpl-malformed\",\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"unterminated"
                .getBytes(StandardCharsets.UTF_8);
        return send(200, broken, List.of());
    }

    private boolean cutBody(Reply source) throws IOException {
        conn.pause(source.latency());
        byte[] full = route != null ? route.body() : success(source, body != null ? body : Json.object());
        String type = route != null ? route.contentType() : JSON;
        BodyWriter.open(conn, 200, type, Transfer.CONTENT_LENGTH, full.length, keepAlive, List.of());
        conn.write(full, 0, full.length / 2);
        conn.closeGracefully();
        return false;
    }

    private boolean stream(Reply r, int cutAfter) throws IOException {
        Transfer t = ctx.config().streamTransfer();
        BodyWriter w = BodyWriter.open(conn, 200, SSE, t, -1, keepAlive, r.headers());
        EventSink sink = new EventSink(w, conn, r.chunkDelay(), cutAfter);
        String model = model(body);
        if (format == WireFormat.ANTHROPIC_MESSAGES) {
            AnthropicMessages.stream(r, body, model, "msg_fake" + ctx.nextId(), sink);
        } else {
            OpenAiChat.stream(r, body, model, "chatcmpl-fake" + ctx.nextId(), Instant.now().getEpochSecond(), sink);
        }
        w.finish();
        return reusable(t);
    }

    private boolean raw(RawResponse r, int cutAfter) throws IOException {
        conn.pause(r.latency());
        BodyWriter w = BodyWriter.open(conn, r.status(), r.contentType(), r.transferMode(), r.body().length,
                keepAlive, r.headers());
        List<byte[]> parts = r.parts();
        for (int i = 0; i < parts.size(); i++) {
            if (i == cutAfter) {
                throw new EventSink.StreamCut();
            }
            if (i > 0) {
                conn.pause(r.eventDelay());
            }
            w.part(parts.get(i));
        }
        if (cutAfter >= 0) {
            throw new EventSink.StreamCut();
        }
        w.finish();
        return reusable(r.transferMode());
    }

    private boolean send(int status, byte[] bytes, List<Map.Entry<String, String>> headers) throws IOException {
        BodyWriter w = BodyWriter.open(conn, status, JSON, Transfer.CONTENT_LENGTH, bytes.length, keepAlive, headers);
        w.part(bytes);
        w.finish();
        return reusable(Transfer.CONTENT_LENGTH);
    }

    private byte[] success(Reply r, ObjectNode request) {
        String model = model(request);
        switch (format) {
            case ANTHROPIC_MESSAGES:
                return AnthropicMessages.message(r, request, model, "msg_fake" + ctx.nextId());
            case OPENAI_EMBEDDINGS:
                return OpenAiEmbeddings.embeddings(request, model, ctx.config().embeddingDimensions());
            default:
                return OpenAiChat.completion(r, request, model, "chatcmpl-fake" + ctx.nextId(),
                        Instant.now().getEpochSecond());
        }
    }

    private boolean streaming() {
        return body != null && format.canStream() && body.path("stream").asBoolean(false);
    }

    private String model(ObjectNode request) {
        return request != null && request.path("model").isTextual() ? request.path("model").asText()
                : ctx.config().defaultModel();
    }

    private boolean reusable(Transfer t) {
        return keepAlive && t != Transfer.CLOSE_DELIMITED && !conn.lostInput();
    }
}
