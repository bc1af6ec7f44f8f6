package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Returns a {@code Stream<String>} of text deltas as they arrive. The call starts at once; the stream
 * blocks while waiting for the next delta, ends when the answer is complete, throws the call's
 * failure where it happened, and cancels the call when closed early. A bounded buffer slows the
 * provider connection when the consumer is slower than the model.
 */
final class TextStreamAdapter extends ReturnAdapter {
    private static final Object END = new Object();
    private static final int BUFFER = 256;

    TextStreamAdapter(ObjectMapper mapper) {
        super(ResultMapper.forType(mapper.getTypeFactory().constructType(String.class), mapper, "stream"));
    }

    @Override
    Object invoke(Engine engine, Invocation invocation) {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Semaphore room = new Semaphore(BUFFER);
        CompletableFuture<CallResult> call = new CompletableFuture<>();
        CompletableFuture<CallResult> running = engine.stream(invocation, chunk -> {
            if (chunk.choiceIndex() == 0 && !chunk.text().isEmpty()) {
                waitForRoom(room, call);
                queue.add(chunk.text());
            }
        });
        call.whenComplete((r, e) -> {
            if (call.isCancelled()) {
                running.cancel(true);
            }
        });
        running.whenComplete((r, e) -> {
            // The terminal marker needs no room: it is never lost and never blocks the provider's thread.
            queue.add(e == null ? END : new Failure(e));
            if (e == null) {
                call.complete(r);
            } else {
                call.completeExceptionally(e);
            }
        });
        Spliterator<String> items = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            private boolean done;

            @Override
            public boolean tryAdvance(Consumer<? super String> action) {
                if (done) {
                    return false;
                }
                Object next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    call.cancel(true);
                    throw new CancellationException("interrupted while reading the stream");
                }
                if (next == END) {
                    done = true;
                    return false;
                }
                if (next instanceof Failure f) {
                    done = true;
                    throw rethrow(f.error());
                }
                room.release();
                action.accept((String) next);
                return true;
            }
        };
        return StreamSupport.stream(items, false).onClose(() -> call.cancel(true));
    }

    private static void waitForRoom(Semaphore room, CompletableFuture<?> call) {
        try {
            while (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (call.isDone()) {
                    throw new CancellationException("the stream was closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    private record Failure(Throwable error) {
    }
}
