package dev.switchboard.runtime.calllog;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * What a call-log search asks for; every criterion is optional (null or empty for any) and all given
 * criteria must hold. Immutable.
 *
 * <pre>{@code
 * CallLogFilter f = CallLogFilter.all().withDeployment("support").withStatus(CallRecord.Status.ERROR).page(50, null);
 * }</pre>
 *
 * @param from         calls started at or after
 * @param to           calls started before
 * @param deployment   deployment key, exact
 * @param variant      variant, exact
 * @param provider     provider entry that answered (or was last tried), exact
 * @param model        model asked of it, exact
 * @param status       success or error
 * @param origin       origin, exact
 * @param traceId      trace id, exact
 * @param text         a case-insensitive substring of the request messages, reply or error message
 * @param metadata     metadata entries that must all be present with these values
 * @param minLatencyMs calls that took at least this many milliseconds; null for any
 * @param limit        at most this many records (newest first); the store may cap it
 * @param cursor       the {@link CallLogPage#nextCursor()} of the previous page, or null for the first
 */
public record CallLogFilter(Instant from, Instant to, String deployment, String variant, String provider, String model,
                            CallRecord.Status status, String origin, String traceId, String text,
                            Map<String, String> metadata, Long minLatencyMs, int limit, String cursor) {
    /** The default page size. */
    public static final int DEFAULT_LIMIT = 50;

    /** Copies metadata; a non-positive limit becomes {@link #DEFAULT_LIMIT}. */
    public CallLogFilter {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        limit = limit <= 0 ? DEFAULT_LIMIT : limit;
    }

    /** A filter without variant and latency criteria (the original form). */
    public CallLogFilter(Instant from, Instant to, String deployment, String provider, String model,
                         CallRecord.Status status, String origin, String traceId, String text,
                         Map<String, String> metadata, int limit, String cursor) {
        this(from, to, deployment, null, provider, model, status, origin, traceId, text, metadata, null, limit, cursor);
    }

    /** Everything, newest first, one default page. */
    public static CallLogFilter all() {
        return new CallLogFilter(null, null, null, null, null, null, null, null, null, null, Map.of(), null, DEFAULT_LIMIT, null);
    }

    /** This filter restricted to {@code deployment}. */
    public CallLogFilter withDeployment(String v) {
        return new CallLogFilter(from, to, v, variant, provider, model, status, origin, traceId, text, metadata, minLatencyMs, limit, cursor);
    }

    /** This filter restricted to calls that ended with {@code v}. */
    public CallLogFilter withStatus(CallRecord.Status v) {
        return new CallLogFilter(from, to, deployment, variant, provider, model, v, origin, traceId, text, metadata, minLatencyMs, limit, cursor);
    }

    /** This filter restricted to calls containing {@code v}. */
    public CallLogFilter withText(String v) {
        return new CallLogFilter(from, to, deployment, variant, provider, model, status, origin, traceId, v, metadata, minLatencyMs, limit, cursor);
    }

    /** This filter with another page size and cursor. */
    public CallLogFilter page(int newLimit, String newCursor) {
        return new CallLogFilter(from, to, deployment, variant, provider, model, status, origin, traceId, text, metadata, minLatencyMs,
                newLimit, newCursor);
    }

    /** Whether {@code r} started within {@code from} to {@code to} and meets every other criterion (limit and cursor aside). */
    public boolean matches(CallRecord r) {
        return (from == null || !r.startedAt().isBefore(from)) && (to == null || r.startedAt().isBefore(to))
                && matchesIgnoringTime(r);
    }

    /**
     * Whether {@code r} meets every criterion but the time range (limit and cursor aside): what a live tail of new
     * calls checks. The text criterion is a case-insensitive substring of the request messages, reply or error.
     */
    public boolean matchesIgnoringTime(CallRecord r) {
        if (!eq(deployment, r.deployment()) || !eq(variant, r.variant()) || !eq(provider, r.provider())
                || !eq(model, r.model()) || !eq(origin, r.origin()) || !eq(traceId, r.traceId())) {
            return false;
        }
        if (status != null && status != r.status() || minLatencyMs != null && r.latencyMs() < minLatencyMs) {
            return false;
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (!m.getValue().equals(r.metadata().get(m.getKey()))) {
                return false;
            }
        }
        return text == null || text.isEmpty() || containsText(r, text.toLowerCase(Locale.ROOT));
    }

    private static boolean eq(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static boolean containsText(CallRecord r, String needle) {
        if (has(r.reply(), needle) || has(r.errorMessage(), needle)) {
            return true;
        }
        if (r.requestMessages() != null) {
            for (MessageRecord m : r.requestMessages()) {
                if (has(m.content(), needle)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean has(String s, String needle) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(needle);
    }
}
