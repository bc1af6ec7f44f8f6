package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.switchboard.api.Completion;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.spi.ResponseFormat;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * Turns an engine call into what a method returns: a value, a {@link Completion}, a future, a
 * {@link Stream} or a {@link Flow.Publisher} of text. One per method, chosen once by
 * {@link #forReturnType}. Immutable and thread-safe.
 */
abstract class ReturnAdapter {
    final ResultMapper mapper;

    ReturnAdapter(ResultMapper mapper) {
        this.mapper = mapper;
    }

    /** Runs the call and adapts its result. */
    abstract Object invoke(Engine engine, Invocation invocation);

    /** The response format the content type needs, or null for text. */
    ResponseFormat responseFormat() {
        return mapper.responseFormat();
    }

    /**
     * The adapter of a method's generic return type.
     *
     * @throws IllegalArgumentException for a type that cannot be returned, saying why
     */
    static ReturnAdapter forReturnType(Type returnType, ObjectMapper mapper, String where) {
        TypeFactory tf = mapper.getTypeFactory();
        JavaType type = tf.constructType(returnType);
        Class<?> raw = type.getRawClass();
        if (raw == void.class || raw == Void.class) {
            throw new IllegalArgumentException("returns void; return String, a record/POJO, an enum, Completion<T>, CompletableFuture<T>, Stream<String> or Flow.Publisher<String>");
        }
        if (raw == Stream.class || raw == Flow.Publisher.class) {
            if (type.containedTypeOrUnknown(0).getRawClass() != String.class) {
                throw new IllegalArgumentException("streams text: declare " + raw.getSimpleName() + "<String>");
            }
            return raw == Stream.class ? new TextStreamAdapter(mapper) : new TextPublisherAdapter();
        }
        if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            JavaType inner = type.containedTypeOrUnknown(0);
            boolean completion = inner.getRawClass() == Completion.class;
            return new AsyncAdapter(content(completion ? inner.containedTypeOrUnknown(0) : inner, mapper, where), completion);
        }
        boolean completion = raw == Completion.class;
        return new SyncAdapter(content(completion ? type.containedTypeOrUnknown(0) : type, mapper, where), completion);
    }

    private static ResultMapper content(JavaType type, ObjectMapper mapper, String where) {
        if (type.getRawClass() == Completion.class || type.getRawClass() == CompletableFuture.class || type.getRawClass() == Stream.class) {
            throw new IllegalArgumentException("nests " + type.getRawClass().getSimpleName() + " where a content type is expected");
        }
        return ResultMapper.forType(type, mapper, where);
    }

    /** The call's content, mapped, wrapped in a {@link Completion} when asked. */
    final Object result(CallResult r, boolean completion) {
        Object content = mapper.map(r.response().text());
        if (!completion) {
            return content;
        }
        return new Completion<>(content, r.response().text(), r.response().usage(), r.answeredBy().provider(), r.response().model(),
                r.response().finishReason() == null ? null : r.response().finishReason().wireName(),
                r.callId(), r.deployment(), r.variant(), r.version(), r.attempts(), r.latency());
    }

    /** Waits for a call, rethrowing its failure as the Switchboard exception it is. */
    static CallResult await(CompletableFuture<CallResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new SwitchboardException("interrupted while waiting for the call", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    static RuntimeException rethrow(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new SwitchboardException(String.valueOf(t.getMessage()), t);
    }

    /** A value or a {@link Completion}, on the caller's thread. */
    private static final class SyncAdapter extends ReturnAdapter {
        private final boolean completion;

        SyncAdapter(ResultMapper mapper, boolean completion) {
            super(mapper);
            this.completion = completion;
        }

        @Override
        Object invoke(Engine engine, Invocation invocation) {
            return result(await(engine.call(invocation)), completion);
        }
    }

    /** A {@link CompletableFuture} of a value or a {@link Completion}; cancelling it cancels the call. */
    private static final class AsyncAdapter extends ReturnAdapter {
        private final boolean completion;

        AsyncAdapter(ResultMapper mapper, boolean completion) {
            super(mapper);
            this.completion = completion;
        }

        @Override
        Object invoke(Engine engine, Invocation invocation) {
            CompletableFuture<CallResult> call = engine.call(invocation);
            CompletableFuture<Object> out = call.thenApply(r -> result(r, completion));
            out.whenComplete((r, e) -> {
                if (out.isCancelled()) {
                    call.cancel(true);
                }
            });
            return out;
        }
    }
}
