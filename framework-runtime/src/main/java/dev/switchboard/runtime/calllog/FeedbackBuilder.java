package dev.switchboard.runtime.calllog;

import dev.switchboard.api.SwitchboardException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Feedback on one call, being written: returned by {@code Switchboard.feedback(callId)}.
 *
 * <pre>{@code
 * Completion<String> c = bot.answer("Where is my parcel?");
 * sb.feedback(c.callId()).thumbsUp().score(5).comment("solved it").tags("shipping").send();
 * }</pre>
 *
 * <p>{@link #send()} and {@link #sendAsync()} validate first (at least one of score, thumbs and comment; a
 * finite score; bounded comment and tags) and throw {@link IllegalArgumentException} naming the field; then
 * the feedback goes where the {@code Switchboard} records it (its call-log store when that keeps feedback, the
 * gateway of {@code reportTo}). Each send creates a new feedback with its own id. Not thread-safe: build and
 * send it on one thread.
 */
public final class FeedbackBuilder {
    private final Feedback.Builder feedback;
    private final Function<Feedback, CompletableFuture<Void>> sink;

    /**
     * @param callId the call
     * @param source who gives it (an application origin), or null
     * @param sink   records a feedback; its future completes when it is recorded
     */
    public FeedbackBuilder(String callId, String source, Function<Feedback, CompletableFuture<Void>> sink) {
        this.feedback = Feedback.builder(Objects.requireNonNull(callId, "callId")).source(source);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** A score, on the caller's scale. */
    public FeedbackBuilder score(double v) { feedback.score(v); return this; }
    /** Thumbs up or down. */
    public FeedbackBuilder thumbs(Feedback.Thumbs v) { feedback.thumbs(v); return this; }
    /** Thumbs up. */
    public FeedbackBuilder thumbsUp() { return thumbs(Feedback.Thumbs.UP); }
    /** Thumbs down. */
    public FeedbackBuilder thumbsDown() { return thumbs(Feedback.Thumbs.DOWN); }
    /** A comment. */
    public FeedbackBuilder comment(String v) { feedback.comment(v); return this; }
    /** Tags (replacing earlier ones). */
    public FeedbackBuilder tags(String... v) { return tags(Arrays.asList(v)); }
    /** Tags (replacing earlier ones). */
    public FeedbackBuilder tags(Collection<String> v) { feedback.tags(List.copyOf(v)); return this; }

    /** The feedback as it will be sent. @throws IllegalArgumentException naming the field at fault */
    public Feedback build() {
        return feedback.id(null).build();
    }

    /**
     * Records the feedback, without blocking.
     *
     * @return completes when it is recorded, or exceptionally when it could not be
     * @throws IllegalArgumentException when it is invalid (naming the field)
     */
    public CompletableFuture<Void> sendAsync() {
        return sink.apply(build());
    }

    /**
     * Records the feedback, blocking until it is.
     *
     * @throws IllegalArgumentException when it is invalid (naming the field)
     * @throws SwitchboardException     when it could not be recorded
     */
    public void send() {
        try {
            sendAsync().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException("interrupted while sending feedback", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw c instanceof SwitchboardException s ? s : new SwitchboardException("feedback not recorded: " + c.getMessage(), c);
        }
    }
}
