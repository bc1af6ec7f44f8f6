package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.ResolvedVariant;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/chat/completions}: the OpenAI Chat Completions API over the engine, plain or streamed
 * ({@code "stream": true}), with the gateway's body extensions ({@link RequestExtensions}). Resolution and
 * rendering errors are answered before any provider is called; a client that disconnects cancels the
 * call and with it the upstream request. Stateless and thread-safe.
 */
final class ChatCompletionsEndpoint implements Endpoint {
    private final GatewayContext gw;

    ChatCompletionsEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    @Override
    public void handle(Exchange ex) {
        ObjectNode body = GatewayJson.parseObject(ex.body());
        boolean stream = gw.codec().readStream(body);
        ChatCalls.ChatCall call = ChatCalls.read(gw.engine(), gw.codec(), body);
        Engine engine = gw.engine();
        ResolvedVariant rv = engine.resolve(call.invocation());
        CallHeaders.resolved(ex, rv, call.invocation().callId());
        if (stream) {
            stream(ex, call, rv);
        } else {
            CompletableFuture<CallResult> f;
            try (Scope ignored = gw.observability().telemetry().traces().join(ex.requestHeaders())) {
                f = engine.call(call.invocation()); // the caller's traceparent becomes the call span's parent
            }
            ex.cancelOnClose(f);
            f.whenComplete((r, e) -> {
                if (e != null) {
                    CallHeaders.failure(ex, e);
                    ex.fail(e);
                } else {
                    CallHeaders.result(ex, r);
                    ex.sendJson(HttpResponseStatus.OK, gw.codec().writeResponse(r.response(), completionId(r.callId()),
                            r.startedAt().getEpochSecond()));
                }
            });
        }
    }

    private void stream(Exchange ex, ChatCalls.ChatCall call, ResolvedVariant rv) {
        long deadline = System.nanoTime() + rv.timeout().toNanos();
        SseStream sse = new SseStream(ex, gw.codec(), completionId(call.invocation().callId()), rv.config().model().model(),
                call.invocation().includeUsage(), deadline);
        CompletableFuture<CallResult> f;
        try (Scope ignored = gw.observability().telemetry().traces().join(ex.requestHeaders())) {
            f = gw.engine().stream(call.invocation(), sse);
        }
        ex.cancelOnClose(f);
        f.whenComplete((r, e) -> {
            if (e != null) {
                CallHeaders.failure(ex, e);
                sse.fail(e);
            } else {
                CallHeaders.result(ex, r);
                sse.complete(r);
            }
        });
    }

    /** An OpenAI-style completion id: from the call id when known, random otherwise. */
    static String completionId(String callId) {
        return "chatcmpl-" + (callId != null ? callId.replace("call_", "")
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }
}
