package dev.switchboard.runtime.calllog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * What someone said about one call: a score, thumbs up or down, a comment, tags. Several feedbacks may be
 * given for the same call; each has its own id, so sending one twice stores it once. Immutable and
 * thread-safe; serializes to snake_case JSON with {@link CallRecordJson#mapper()}.
 *
 * <pre>{@code
 * Feedback f = Feedback.builder("call_1").thumbs(Feedback.Thumbs.UP).comment("spot on").tags(List.of("billing")).build();
 * }</pre>
 *
 * @param id        the feedback's id (generated when not given)
 * @param callId    the call it is about ({@code Completion.callId()}, {@code x-switchboard-call-id})
 * @param score     a number (the scale is the caller's: 1–5, 0–1, …), or null
 * @param thumbs    up or down, or null
 * @param comment   free text, or null
 * @param tags      labels, possibly empty
 * @param source    who gave it: an application origin ({@code app/instance}) or {@code admin}; may be null
 * @param createdAt when it was given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Feedback(@JsonProperty("id") String id,
                       @JsonProperty("call_id") String callId,
                       @JsonProperty("score") Double score,
                       @JsonProperty("thumbs") Thumbs thumbs,
                       @JsonProperty("comment") String comment,
                       @JsonProperty("tags") List<String> tags,
                       @JsonProperty("source") String source,
                       @JsonProperty("created_at") Instant createdAt) {
    /** The longest id or call id. */
    public static final int MAX_ID = 128;
    /** The longest comment. */
    public static final int MAX_COMMENT = 4000;
    /** The most tags. */
    public static final int MAX_TAGS = 20;
    /** The longest tag. */
    public static final int MAX_TAG = 64;

    /** Thumbs up or down. */
    public enum Thumbs {
        /** Good answer. */
        @JsonProperty("up") UP,
        /** Bad answer. */
        @JsonProperty("down") DOWN;

        /** {@code up} or {@code down}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code up} or {@code down} (any case). @throws IllegalArgumentException otherwise */
        public static Thumbs parse(String s) {
            if ("up".equalsIgnoreCase(s)) {
                return UP;
            }
            if ("down".equalsIgnoreCase(s)) {
                return DOWN;
            }
            throw new IllegalArgumentException("thumbs must be \"up\" or \"down\", was \"" + s + "\"");
        }
    }

    /**
     * Validates: call id required, at least one of score, thumbs and comment, a finite score, bounded sizes.
     *
     * @throws IllegalArgumentException naming the field at fault ({@code call_id}, {@code score}, {@code tags[2]}, …)
     */
    public Feedback {
        id = id == null || id.isBlank() ? "fb_" + UUID.randomUUID().toString().replace("-", "") : id;
        createdAt = createdAt == null ? Instant.now() : createdAt;
        tags = tags == null ? List.of() : List.copyOf(tags);
        check(id.length() <= MAX_ID, "id", "must be at most " + MAX_ID + " characters");
        check(callId != null && !callId.isBlank(), "call_id", "is required");
        check(callId.length() <= MAX_ID, "call_id", "must be at most " + MAX_ID + " characters");
        check(score != null || thumbs != null || comment != null && !comment.isBlank(), "score",
                "give at least one of score, thumbs and comment");
        check(score == null || Double.isFinite(score), "score", "must be a finite number");
        check(comment == null || comment.length() <= MAX_COMMENT, "comment", "must be at most " + MAX_COMMENT + " characters");
        check(tags.size() <= MAX_TAGS, "tags", "at most " + MAX_TAGS + " tags");
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            check(t != null && !t.isBlank() && t.length() <= MAX_TAG, "tags[" + i + "]", "must be a non-empty string of at most " + MAX_TAG + " characters");
        }
    }

    private static void check(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + problem);
        }
    }

    /** This feedback with {@code v} as its source. */
    public Feedback withSource(String v) {
        return new Feedback(id, callId, score, thumbs, comment, tags, v, createdAt);
    }

    /** A builder of feedback about call {@code callId}. */
    public static Builder builder(String callId) {
        return new Builder(callId);
    }

    /** Builds a {@link Feedback}. Not thread-safe. */
    public static final class Builder {
        private final String callId;
        private String id;
        private Double score;
        private Thumbs thumbs;
        private String comment;
        private List<String> tags = List.of();
        private String source;
        private Instant createdAt;

        private Builder(String callId) {
            this.callId = Objects.requireNonNull(callId, "callId");
        }

        public Builder id(String v) { id = v; return this; }
        public Builder score(Double v) { score = v; return this; }
        public Builder thumbs(Thumbs v) { thumbs = v; return this; }
        public Builder comment(String v) { comment = v; return this; }
        public Builder tags(List<String> v) { tags = v == null ? List.of() : v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }

        /** Builds it. @throws IllegalArgumentException naming the field at fault */
        public Feedback build() {
            return new Feedback(id, callId, score, thumbs, comment, tags, source, createdAt);
        }
    }
}
