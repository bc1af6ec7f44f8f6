package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.AttemptRecord;
import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.MessageRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The records part of a block of version 2 ({@link CallBlock}): each call's record in a compact binary form that
 * holds only what the block's keys do not. The keys already hold a call's id, trace id, start, latency, tokens,
 * status, cost, deployment, variant, provider, model and origin; the record adds the rest (span id, end, version,
 * attempts, messages, reply, …), names that repeat from call to call (version, models, roles, outcomes, finish
 * reasons, error types) as references into the block's table of strings. Writing it is copying bytes: no field names,
 * no escaping, no decimal digits; for a gateway-like call it is about a seventh of the JSON it replaces (102 bytes
 * against 697), which is less to compress and store. A gateway that reads only version 1 refuses these blocks.
 * A search's text test on a record's bytes still works: texts (messages, reply, error, metadata) are in the record as
 * UTF-8, unescaped.
 *
 * <p>Layout (varints are unsigned LEB128, "zigzag" ones signed; a <i>string</i> is a varint of its UTF-8 length plus
 * one, 0 meaning null, then the bytes; a <i>name</i> is a varint: 0 null, 1 a string follows, n ≥ 2 string n - 2 of
 * the block's table):
 * <pre>
 * overrides: varint    bit c set: the full value of key column c (CallBlock.DEPLOYMENT..COST) follows as a string,
 *                      for values the keys hold cut short (over 500 characters, or with NUL characters)
 * started: zigzag      nanoseconds from the key's start (whole microseconds) to the record's
 * ended: zigzag, varint  seconds from the start's second, and the nanosecond of that second
 * flags: varint        1 streaming, 2 has time to first token, 4 has request messages
 * span: string, version: name, response model: name, finish reason: name, error type: name, error message: string
 * [time to first token: zigzag]  cached tokens: zigzag
 * attempts: varint, each: provider name, model name, outcome name, status zigzag, error string, latency zigzag
 * context, metadata: varint, each: key string, value string
 * [request messages: varint, each: role name, content string]
 * reply: string
 * </pre>
 * Stateless; the {@link Writer} is not thread-safe.
 */
final class CallRecordBytes {
    private static final int STREAMING = 1;
    private static final int HAS_TTFT = 2;
    private static final int HAS_MESSAGES = 4;
    /** Names longer than this are written in full rather than put in the block's table. */
    private static final int TABLE_MAX = CallLogRows.SHORT;

    private CallRecordBytes() {
    }

    /**
     * Appends {@code r} to {@code out}. {@code startedUs} and {@code keys} (by column, {@link CallBlock#DEPLOYMENT} to
     * {@link CallBlock#COST}) are what the block's keys hold for it: a key string that is not the record's own string
     * (cut short, or cleaned, by {@link CallLogRows#cut}) makes the record hold the full value. {@code table} gives a
     * string's reference in the block's table (1 for the first).
     */
    static void write(Writer out, CallRecord r, long startedUs, String[] keys, ToIntFunction<String> table) {
        int overrides = 0;
        for (int c = 0; c < CallBlock.COST; c++) {
            if (own(r, c) != keys[c]) { // cut() returns the string itself when it keeps it whole
                overrides |= 1 << c;
            }
        }
        if (r.costUsd() != null && r.costUsd().scale() < 0) { // the keys hold toPlainString(), which drops a negative scale
            overrides |= 1 << CallBlock.COST;
        }
        out.varint(overrides);
        for (int c = 0; overrides >>> c != 0; c++) {
            if ((overrides & 1 << c) != 0) {
                out.string(own(r, c));
            }
        }
        Instant started = r.startedAt();
        out.zigzag(started.getNano() - Math.floorMod(startedUs, 1_000_000L) * 1_000 + (started.getEpochSecond() - Math.floorDiv(startedUs, 1_000_000L)) * 1_000_000_000L);
        out.zigzag(r.endedAt().getEpochSecond() - started.getEpochSecond());
        out.varint(r.endedAt().getNano());
        out.varint((r.streaming() ? STREAMING : 0) | (r.timeToFirstTokenMs() != null ? HAS_TTFT : 0)
                | (r.requestMessages() != null ? HAS_MESSAGES : 0));
        out.string(r.spanId());
        name(out, r.version(), table);
        name(out, r.responseModel(), table);
        name(out, r.finishReason(), table);
        name(out, r.errorType(), table);
        out.string(r.errorMessage());
        if (r.timeToFirstTokenMs() != null) {
            out.zigzag(r.timeToFirstTokenMs());
        }
        out.zigzag(r.cachedTokens());
        out.varint(r.attempts().size());
        for (AttemptRecord a : r.attempts()) {
            name(out, a.provider(), table);
            name(out, a.model(), table);
            name(out, a.outcome(), table);
            out.zigzag(a.status());
            out.string(a.error());
            out.zigzag(a.latencyMs());
        }
        map(out, r.context());
        map(out, r.metadata());
        if (r.requestMessages() != null) {
            out.varint(r.requestMessages().size());
            for (MessageRecord m : r.requestMessages()) {
                name(out, m.role(), table);
                out.string(m.content());
            }
        }
        out.string(r.reply());
    }

    /** {@code r}'s own value of key column {@code column} ({@link CallBlock#DEPLOYMENT} to {@link CallBlock#COST}). */
    private static String own(CallRecord r, int column) {
        return switch (column) {
            case CallBlock.DEPLOYMENT -> r.deployment();
            case CallBlock.VARIANT -> r.variant();
            case CallBlock.PROVIDER -> r.provider();
            case CallBlock.MODEL -> r.model();
            case CallBlock.ORIGIN -> r.origin();
            case CallBlock.ID -> r.id();
            case CallBlock.TRACE -> r.traceId();
            case CallBlock.COST -> r.costUsd() == null ? null : r.costUsd().toString();
            default -> throw new IllegalArgumentException("no key column " + column);
        };
    }

    private static void name(Writer out, String s, ToIntFunction<String> table) {
        if (s == null) {
            out.varint(0);
        } else if (s.length() > TABLE_MAX) {
            out.varint(1);
            out.string(s);
        } else {
            out.varint(table.applyAsInt(s) + 1);
        }
    }

    private static void map(Writer out, Map<String, String> m) {
        out.varint(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.string(e.getKey());
            out.string(e.getValue());
        }
    }

    /**
     * The bytes of a metadata entry as {@link #write} writes it: a record holding {@code key} with {@code value}
     * contains them (for a search's test on bytes).
     */
    static byte[] metadataEntry(String key, String value) {
        Writer w = new Writer(key.length() + value.length() + 16);
        w.string(key);
        w.string(value);
        return Arrays.copyOf(w.array(), w.size());
    }

    /**
     * Call {@code i}'s record from the block's {@code keys} and its bytes in {@code records}.
     *
     * @throws IllegalStateException when the bytes are not a record this code wrote
     */
    static CallRecord read(CallBlock keys, int i, byte[] records) {
        Reader in = new Reader(records, keys.offset[i], keys.length[i]);
        try {
            int overrides = (int) in.varint();
            String[] full = new String[CallBlock.COST + 1]; // by key column: the values the record holds in full
            for (int c = 0; overrides >>> c != 0; c++) {
                if ((overrides & 1 << c) != 0) {
                    full[c] = in.string();
                }
            }
            long us = keys.startedUs[i];
            Instant started = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000 + in.zigzag());
            Instant ended = Instant.ofEpochSecond(started.getEpochSecond() + in.zigzag(), in.varint());
            int flags = (int) in.varint();
            String cost = full[CallBlock.COST] != null ? full[CallBlock.COST] : keys.string(i, CallBlock.COST);
            CallRecord.Builder b = CallRecord.builder(key(full, keys, i, CallBlock.ID)).traceId(key(full, keys, i, CallBlock.TRACE))
                    .deployment(key(full, keys, i, CallBlock.DEPLOYMENT)).variant(key(full, keys, i, CallBlock.VARIANT))
                    .provider(key(full, keys, i, CallBlock.PROVIDER)).model(key(full, keys, i, CallBlock.MODEL))
                    .origin(key(full, keys, i, CallBlock.ORIGIN)).costUsd(cost == null ? null : new BigDecimal(cost))
                    .status(keys.error[i] ? CallRecord.Status.ERROR : CallRecord.Status.SUCCESS).latencyMs(keys.latencyMs[i])
                    .inputTokens(keys.inputTokens[i]).outputTokens(keys.outputTokens[i])
                    .startedAt(started).endedAt(ended).streaming((flags & STREAMING) != 0)
                    .spanId(in.string()).version(name(in, keys)).responseModel(name(in, keys)).finishReason(name(in, keys))
                    .errorType(name(in, keys)).errorMessage(in.string());
            if ((flags & HAS_TTFT) != 0) {
                b.timeToFirstTokenMs(in.zigzag());
            }
            b.cachedTokens(in.zigzag());
            List<AttemptRecord> attempts = new ArrayList<>();
            for (int n = in.count(); n > 0; n--) {
                attempts.add(new AttemptRecord(name(in, keys), name(in, keys), name(in, keys), (int) in.zigzag(), in.string(), in.zigzag()));
            }
            b.attempts(attempts).context(map(in)).metadata(map(in));
            if ((flags & HAS_MESSAGES) != 0) {
                List<MessageRecord> messages = new ArrayList<>();
                for (int n = in.count(); n > 0; n--) {
                    messages.add(new MessageRecord(name(in, keys), in.string()));
                }
                b.requestMessages(messages);
            }
            CallRecord r = b.reply(in.string()).build();
            if (!in.atEnd()) {
                throw new IllegalStateException("call block record " + i + " has " + in.left() + " bytes left over");
            }
            return r;
        } catch (RuntimeException e) {
            throw e instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("call block record " + i + " is damaged: " + e.getMessage(), e);
        }
    }

    private static String key(String[] full, CallBlock keys, int i, int column) {
        return full[column] != null ? full[column] : keys.string(i, column);
    }

    private static String name(Reader in, CallBlock keys) {
        long n = in.varint();
        return n == 0 ? null : n == 1 ? in.string() : keys.tableString((int) (n - 2));
    }

    private static Map<String, String> map(Reader in) {
        int n = in.count();
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (; n > 0; n--) {
            m.put(in.string(), in.string());
        }
        return m;
    }

    /** Bytes appended to an array that grows as needed. Not thread-safe. */
    static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (buf.length - size < n) {
                buf = Arrays.copyOf(buf, Math.max(2 * buf.length, size + n));
            }
        }

        void varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        /** {@code s} as its UTF-8 length plus one and its bytes; 0 for null. */
        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /** The written bytes are the first {@link #size()}; valid until the next write. */
        byte[] array() {
            return buf;
        }

        int size() {
            return size;
        }

        int capacity() {
            return buf.length;
        }

        void truncate(int n) {
            size = n;
        }
    }

    /** Reads a record's bytes, refusing to read past them. Not thread-safe. */
    private static final class Reader {
        private final byte[] b;
        private int at;
        private final int end;

        Reader(byte[] b, int offset, int length) {
            if (offset < 0 || length < 0 || offset + length > b.length) {
                throw new IllegalStateException("call block record at " + offset + " (" + length + " bytes) is outside its records part");
            }
            this.b = b;
            this.at = offset;
            this.end = offset + length;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw new IllegalStateException("call block record is cut short");
                }
                byte x = b[at++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IllegalStateException("call block record has a malformed number");
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        /** A count of items that follow, each at least a byte. */
        int count() {
            long n = varint();
            if (n > end - at) {
                throw new IllegalStateException("call block record counts " + n + " items in " + (end - at) + " bytes");
            }
            return (int) n;
        }

        String string() {
            long n = varint();
            if (n == 0) {
                return null;
            }
            if (n - 1 > end - at) {
                throw new IllegalStateException("call block record is cut short: a text of " + (n - 1) + " bytes, " + (end - at) + " left");
            }
            String s = new String(b, at, (int) (n - 1), StandardCharsets.UTF_8);
            at += (int) (n - 1);
            return s;
        }

        boolean atEnd() {
            return at == end;
        }

        int left() {
            return end - at;
        }
    }
}
