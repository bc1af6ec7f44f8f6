package dev.switchboard.runtime.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.Engine;
import dev.switchboard.runtime.engine.Invocation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;

/**
 * Returns a cold {@link Flow.Publisher} of text deltas: each subscription runs the call once, with
 * backpressure (a full subscriber buffer slows the provider connection); cancelling the subscription
 * cancels the call; a failure arrives as {@code onError}.
 */
final class TextPublisherAdapter extends ReturnAdapter {

    TextPublisherAdapter() {
        super(ResultMapper.forType(new ObjectMapper().getTypeFactory().constructType(String.class), new ObjectMapper(), "stream"));
    }

    @Override
    Object invoke(Engine engine, Invocation invocation) {
        return (Flow.Publisher<String>) subscriber -> {
            SubmissionPublisher<String> publisher = new SubmissionPublisher<>(ForkJoinPool.commonPool(), Flow.defaultBufferSize());
            publisher.subscribe(subscriber);
            CompletableFuture<CallResult> call = engine.stream(invocation, chunk -> {
                if (publisher.getNumberOfSubscribers() == 0) {
                    throw new CancellationException("subscriber cancelled");
                }
                if (chunk.choiceIndex() == 0 && !chunk.text().isEmpty()) {
                    publisher.submit(chunk.text());
                }
            });
            call.whenComplete((r, e) -> {
                if (e == null) {
                    publisher.close();
                } else {
                    publisher.closeExceptionally(rethrow(e));
                }
            });
        };
    }
}
