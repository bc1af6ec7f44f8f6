package dev.switchboard.gateway.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallLogPage;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.Feedback;
import dev.switchboard.runtime.calllog.FeedbackFilter;
import dev.switchboard.runtime.calllog.FeedbackSummary;
import dev.switchboard.runtime.calllog.FeedbackTally;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The read side of the embedded databases' blocks ({@link CallBlockTable}): one record by id, filtered pages newest
 * first, feedback summaries and the calls at the ragged ends of statistics ranges. A page reads the keys of the
 * blocks whose time range overlaps the filter's, newest block first, keeping the {@code limit + 1} newest calls
 * that match; it stops at the first block whose newest call is older than all of those. Filters on the keys'
 * columns (time, deployment, variant, provider, model, origin, trace id, status, latency) cost no JSON; text,
 * metadata and feedback filters read a candidate's record, first testing its JSON bytes for the text or the
 * {@code "key":"value"} fragment (see {@link CallMatch}), so that a search matching few calls parses few. The
 * cursor is the last call's {@code (start, id)}, as with rows ({@link CallLogCursor}). Stateless and thread-safe.
 */
final class CallBlockSearch {
    private static final Comparator<Hit> NEWEST_FIRST = Comparator.comparingLong(Hit::us).reversed()
            .thenComparing(Hit::id, Comparator.reverseOrder());

    private CallBlockSearch() {
    }

    /** A call a search keeps: where it is, and its record when a filter already parsed it. */
    private record Hit(long us, String id, long block, int index, CallBlock keys, CallRecord record) {
    }

    /**
     * The record of call {@code id}: looked for first in the blocks of the minutes around the time an id of
     * {@code Engine.newCallId}'s form ({@code call_} + the start in epoch milliseconds as 11 hex digits + 16 more)
     * names, then, for other ids or when not there, in every block, newest first.
     */
    static Optional<CallRecord> find(Connection c, String id) throws SQLException {
        long hint = startHint(id);
        if (hint != Long.MIN_VALUE) {
            Optional<CallRecord> near = find(c, id, hint - 60_000_000L, hint + 60_000_000L);
            if (near.isPresent()) {
                return near;
            }
        }
        return find(c, id, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The start, in epoch microseconds, an id of {@code Engine.newCallId}'s form carries; else {@code Long.MIN_VALUE}. */
    static long startHint(String id) {
        if (id.length() != 32 || !id.startsWith("call_")) {
            return Long.MIN_VALUE;
        }
        long millis = 0;
        for (int i = 5; i < 16; i++) {
            int digit = Character.digit(id.charAt(i), 16);
            if (digit < 0) {
                return Long.MIN_VALUE;
            }
            millis = millis * 16 + digit;
        }
        return millis * 1_000L;
    }

    private static Optional<CallRecord> find(Connection c, String id, long fromUs, long toUs) throws SQLException {
        Hit[] hit = {null};
        CallBlockTable.scan(c, fromUs, toUs, (block, last, keys, records) -> {
            for (int i = 0; i < keys.size; i++) {
                if (id.equals(keys.string(i, CallBlock.ID))) {
                    hit[0] = new Hit(keys.startedUs[i], id, block, i, keys, null);
                    return false;
                }
            }
            return true;
        });
        if (hit[0] == null) {
            return Optional.empty();
        }
        return Optional.of(hit[0].keys().record(CallBlockTable.records(c, hit[0].block()), hit[0].index()));
    }

    /** The page of calls matching {@code f} and {@code fb} (null for any feedback), newest first. */
    static CallLogPage search(Connection c, CallLogFilter f, FeedbackFilter fb) throws SQLException {
        int limit = Math.min(f.limit(), CallLogSearch.MAX_LIMIT);
        int keep = limit + 1;
        CallMatch match = CallMatch.of(c, f, fb);
        CallLogCursor cursor = f.cursor() == null ? null : CallLogCursor.decode(f.cursor());
        long cursorUs = cursor == null ? 0 : CallIndexRows.micros(cursor.startedAt());
        long upTo = cursor == null ? match.toUs : Math.min(match.toUs, cursorUs);
        TreeSet<Hit> best = new TreeSet<>(NEWEST_FIRST);
        CallBlockTable.scan(c, match.fromUs, upTo, match.needsRecord(), (block, last, keys, records) -> {
            if (best.size() == keep && last < best.last().us()) {
                return false;
            }
            for (int i = 0; i < keys.size; i++) {
                long us = keys.startedUs[i];
                if (us > upTo || !match.onKeys(keys, i)) {
                    continue;
                }
                String id = keys.string(i, CallBlock.ID);
                if (cursor != null && us == cursorUs && id.compareTo(cursor.id()) >= 0
                        || best.size() == keep && !keys.newerThan(i, best.last().us(), best.last().id())) {
                    continue;
                }
                CallRecord r = records == null ? null : match.onRecord(keys, records, i);
                if (records != null && r == null) {
                    continue;
                }
                best.add(new Hit(us, id, block, i, keys, r));
                if (best.size() > keep) {
                    best.pollLast();
                }
            }
            return true;
        });
        List<Hit> hits = new ArrayList<>(best);
        boolean more = hits.size() > limit;
        if (more) {
            hits = hits.subList(0, limit);
        }
        Map<Long, byte[]> blobs = new HashMap<>();
        List<CallRecord> out = new ArrayList<>(hits.size());
        for (Hit h : hits) {
            CallRecord r = h.record();
            if (r == null) {
                byte[] records = blobs.get(h.block());
                if (records == null) {
                    records = CallBlockTable.records(c, h.block());
                    blobs.put(h.block(), records);
                }
                r = h.keys().record(records, h.index());
            }
            out.add(r);
        }
        String next = null;
        if (more) {
            Hit last = hits.get(hits.size() - 1);
            next = new CallLogCursor(CallIndexRows.instant(last.us()), last.id()).encode();
        }
        return new CallLogPage(out, next);
    }

    /** Feedback on the calls matching {@code scope} (limit and cursor ignored), per deployment and variant. */
    static List<FeedbackSummary> feedbackSummary(Connection c, CallLogFilter scope) throws SQLException {
        Map<String, List<Feedback>> feedback = CallFeedbackSql.byCall(c);
        if (feedback.isEmpty()) {
            return List.of();
        }
        CallMatch match = CallMatch.of(c, scope, null);
        FeedbackTally tally = FeedbackTally.sorted();
        CallBlockTable.scan(c, match.fromUs, match.toUs, match.needsRecord(), (block, last, keys, records) -> {
            for (int i = 0; i < keys.size; i++) {
                List<Feedback> fs = match.onKeys(keys, i) ? feedback.get(keys.string(i, CallBlock.ID)) : null;
                if (fs != null && (records == null || match.onRecord(keys, records, i) != null)) {
                    tally.add(keys.string(i, CallBlock.DEPLOYMENT), keys.string(i, CallBlock.VARIANT), fs);
                }
            }
            return true;
        });
        return tally.summaries();
    }

    /** What the ragged ends of a statistics range count, per call. */
    @FunctionalInterface
    interface CallVisitor {
        void visit(CallBlock keys, int i);
    }

    /**
     * Visits the calls started in {@code [fromUs, toUs)} whose deployment, provider and model are the given ones
     * (null for any).
     */
    static void calls(Connection c, long fromUs, long toUs, String deployment, String provider, String model, CallVisitor v)
            throws SQLException {
        CallBlockTable.scan(c, fromUs, toUs - 1, (block, last, keys, records) -> {
            for (int i = 0; i < keys.size; i++) {
                long us = keys.startedUs[i];
                if (us >= fromUs && us < toUs && eq(deployment, keys.string(i, CallBlock.DEPLOYMENT))
                        && eq(provider, keys.string(i, CallBlock.PROVIDER)) && eq(model, keys.string(i, CallBlock.MODEL))) {
                    v.visit(keys, i);
                }
            }
            return true;
        });
    }

    private static boolean eq(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    /**
     * A filter's conditions (and a feedback filter's) on the calls of blocks: first on their keys ({@link #onKeys}:
     * time, deployment, variant, provider, model, origin, trace id, status, latency), then on their records
     * ({@link #onRecord}: text, metadata, feedback), for filters that have such conditions ({@link #needsRecord}).
     * {@link #onRecord} tests the record's bytes first: the metadata's entries as the block's records hold them
     * ({@link CallRecordBytes#metadataEntry}, or {@code "key":"value"} as the record JSON of a version 1 block writes
     * them), and the text (lower-cased, ASCII) ignoring ASCII case. That test never rejects a record that matches: a
     * text with characters JSON escapes or non-ASCII ones is not tested on bytes, nor is a record with non-ASCII bytes
     * (whose lower case may be ASCII). Then the parsed record decides.
     */
    private static final class CallMatch {
        /** The range of call starts, epoch microseconds, both inclusive. */
        final long fromUs;
        final long toUs;
        private final CallLogFilter filter;
        private final FeedbackFilter feedbackFilter;
        private final Map<String, List<Feedback>> feedback;
        private final List<byte[]> fragments = new ArrayList<>();
        private final List<byte[]> jsonFragments = new ArrayList<>();
        private final byte[] text;
        private final boolean needed;

        private CallMatch(CallLogFilter f, FeedbackFilter fb, Map<String, List<Feedback>> feedback) {
            this.filter = f;
            this.feedbackFilter = fb;
            this.feedback = feedback;
            this.fromUs = f.from() == null ? Long.MIN_VALUE : CallIndexRows.micros(f.from());
            this.toUs = f.to() == null ? Long.MAX_VALUE : CallIndexRows.micros(f.to()) - 1;
            for (Map.Entry<String, String> m : f.metadata().entrySet()) {
                fragments.add(CallRecordBytes.metadataEntry(m.getKey(), m.getValue()));
                jsonFragments.add(fragment(m.getKey(), m.getValue()));
            }
            String q = f.text() == null || f.text().isEmpty() ? null : f.text().toLowerCase(Locale.ROOT);
            this.text = q != null && plainAscii(q) ? q.getBytes(java.nio.charset.StandardCharsets.US_ASCII) : null;
            this.needed = q != null || !fragments.isEmpty() || fb != null;
        }

        /** {@code f} and {@code fb} (null or empty for any feedback), with the feedback read when {@code fb} needs it. */
        static CallMatch of(Connection c, CallLogFilter f, FeedbackFilter fb) throws SQLException {
            return fb == null || fb.isEmpty() ? new CallMatch(f, null, null) : new CallMatch(f, fb, CallFeedbackSql.byCall(c));
        }

        /** Whether {@link #onRecord} must be asked: the filter has conditions the keys do not hold. */
        boolean needsRecord() {
            return needed;
        }

        /** Whether call {@code i} matches the conditions on the keys. */
        boolean onKeys(CallBlock keys, int i) {
            long us = keys.startedUs[i];
            CallLogFilter f = filter;
            return us >= fromUs && us <= toUs
                    && eq(f.deployment(), keys.string(i, CallBlock.DEPLOYMENT)) && eq(f.variant(), keys.string(i, CallBlock.VARIANT))
                    && eq(f.provider(), keys.string(i, CallBlock.PROVIDER)) && eq(f.model(), keys.string(i, CallBlock.MODEL))
                    && eq(f.origin(), keys.string(i, CallBlock.ORIGIN)) && eq(f.traceId(), keys.string(i, CallBlock.TRACE))
                    && (f.status() == null || (f.status() == CallRecord.Status.ERROR) == keys.error[i])
                    && (f.minLatencyMs() == null || keys.latencyMs[i] >= f.minLatencyMs());
        }

        /** Call {@code i}'s record, parsed from its block's {@code records}, when it matches the rest; else null. */
        CallRecord onRecord(CallBlock keys, byte[] records, int i) {
            if (!mayMatch(records, keys.offset[i], keys.length[i], keys.recordsAreJson() ? jsonFragments : fragments)) {
                return null;
            }
            CallRecord r = keys.record(records, i);
            return filter.matchesIgnoringTime(r) && (feedbackFilter == null
                    || feedbackFilter.matches(feedback.getOrDefault(r.id(), List.of()))) ? r : null;
        }

        private boolean mayMatch(byte[] b, int from, int length, List<byte[]> fragments) {
            int to = from + length;
            for (byte[] frag : fragments) {
                if (indexOf(b, from, to, frag, false) < 0) {
                    return false;
                }
            }
            return text == null || indexOf(b, from, to, text, true) >= 0 || hasNonAscii(b, from, to);
        }

        /** {@code "key":"value"} as UTF-8, escaped as the record JSON escapes it. */
        private static byte[] fragment(String key, String value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = CallRecordJson.mapper().getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField(key, value);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] all = out.toByteArray();
            return Arrays.copyOfRange(all, 1, all.length - 1);
        }

        private static boolean plainAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\') {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasNonAscii(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] < 0) {
                    return true;
                }
            }
            return false;
        }

        /** The index of {@code needle} in {@code b[from, to)}, ASCII letters folded to lower case when asked; or -1. */
        static int indexOf(byte[] b, int from, int to, byte[] needle, boolean foldCase) {
            int n = needle.length;
            if (n == 0) {
                return from;
            }
            byte head = needle[0];
            for (int i = from, last = to - n; i <= last; i++) {
                if (at(b[i], foldCase) != head) {
                    continue;
                }
                int j = 1;
                while (j < n && at(b[i + j], foldCase) == needle[j]) {
                    j++;
                }
                if (j == n) {
                    return i;
                }
            }
            return -1;
        }

        private static byte at(byte v, boolean foldCase) {
            return foldCase && v >= 'A' && v <= 'Z' ? (byte) (v + ('a' - 'A')) : v;
        }
    }
}
