package dev.switchboard.runtime.calllog;

/**
 * Feedback on the calls of one deployment variant ({@code /v1/stats}). Immutable.
 *
 * @param deployment   the deployment key
 * @param variant      the variant
 * @param count        feedbacks given
 * @param scored       of them, those with a score
 * @param averageScore the average score, or null when none had one
 * @param thumbsUp     thumbs up given
 * @param thumbsDown   thumbs down given
 */
public record FeedbackSummary(String deployment, String variant, long count, long scored, Double averageScore,
                              long thumbsUp, long thumbsDown) {
}
