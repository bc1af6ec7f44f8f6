package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.math.BigDecimal;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A block of calls as the embedded databases store them: one row per written batch instead of rows per call, so
 * that logging a call costs the gateway's CPU one encoding into bytes and a share of one insert (see
 * {@link CallBlockTable}). A block has two parts:
 *
 * <ul>
 *   <li><b>records</b>: per call, what its record holds beyond its keys, in {@link CallRecordBytes}' binary form
 *       (version 2; a version 1 block holds each call's whole record JSON, {@link CallRecordJson}, followed by a
 *       newline), one after another, stored compressed ({@link #pack}: LZ4);</li>
 *   <li><b>keys</b>: per call what searches and statistics filter and count on without reading its record (start in epoch
 *       microseconds, latency, tokens, status, where its record is in the records part, deployment, variant, provider,
 *       model and origin as references into one table of the block's distinct strings, then id, trace id and
 *       cost). The table also holds the names the records refer to (version, models, roles, …). Format:
 *       {@code version:u8 calls:i32 strings:i32 (string)* (call)*}, a call being
 *       {@code started_us:i64 latency_ms:i64 input:i64 output:i64 error:u8 offset:i32 length:i32 ref:i32 x 5
 *       id:string trace:string cost:string} (big-endian; ref 0 is null, n is string n - 1; a string is a u16
 *       length and that many bytes of UTF-8, the length 65535 meaning null).</li>
 * </ul>
 *
 * A decoded block ({@link #decode}) holds the key arrays; the records are read one by one ({@link #record}).
 * Not thread-safe: a decoded block reads its calls' own strings (id, trace id, cost) when first asked for; one
 * search uses it on one thread.
 */
final class CallBlock {
    /** The version this code writes: 2, records in {@link CallRecordBytes}' form. It reads version 1 too. */
    private static final byte VERSION = 2;
    /** Blocks of version 1 (written by earlier builds) hold each call's record as its whole record JSON. */
    private static final byte VERSION_JSON = 1;
    /** The form of a stored records part: its bytes compressed as one LZ4 block (see {@link #pack}). */
    private static final byte LZ4 = 1;
    /** The string columns of the keys: first those kept in the block's table of strings, in their stored order. */
    static final int DEPLOYMENT = 0;
    static final int VARIANT = 1;
    static final int PROVIDER = 2;
    static final int MODEL = 3;
    static final int ORIGIN = 4;
    /** Columns whose values rarely repeat, stored with each call (and read only when asked for). */
    static final int ID = 5;
    static final int TRACE = 6;
    static final int COST = 7;
    private static final int SHARED = 5;

    /** The length that marks an absent string. */
    private static final int ABSENT = 0xFFFF;
    /** Where a call's own strings start in the keys: the id, trace id and cost, in that order. */
    private static final int OWN = 3;

    final int size;
    /** The block's version: how its records part is to be read ({@link #record}). */
    private final int version;
    final long[] startedUs;
    final long[] latencyMs;
    final long[] inputTokens;
    final long[] outputTokens;
    final boolean[] error;
    final int[] offset;
    final int[] length;
    private final byte[] keys;
    private final String[] table;
    private final int[] refs;
    /** Per call, the position in {@link #keys} of its id, trace id and cost (each a length and UTF-8 bytes). */
    private final int[] own;
    /** The call's own strings once read ({@link #ID}, {@link #TRACE}, {@link #COST}); most searches read few. */
    private final String[] ownRead;

    /** A batch encoded for storage: its time range (of call starts), size and the two parts. */
    record Encoded(long firstUs, long lastUs, int calls, byte[] keys, byte[] records) {
    }

    private CallBlock(byte[] keys, int version, int size, String[] table) {
        this.keys = keys;
        this.version = version;
        this.size = size;
        this.table = table;
        startedUs = new long[size];
        latencyMs = new long[size];
        inputTokens = new long[size];
        outputTokens = new long[size];
        error = new boolean[size];
        offset = new int[size];
        length = new int[size];
        refs = new int[size * SHARED];
        own = new int[size * OWN];
        ownRead = new String[size * OWN];
    }

    /** String column {@code column} (e.g. {@link #DEPLOYMENT}) of call {@code i}; null when it has none. */
    String string(int i, int column) {
        if (column < SHARED) {
            int ref = refs[i * SHARED + column];
            return ref == 0 ? null : table[ref - 1];
        }
        int at = i * OWN + column - SHARED;
        String s = ownRead[at];
        if (s == null) {
            s = readString(keys, own[at]);
            ownRead[at] = s;
        }
        return s;
    }

    /** The string stored at {@code pos} in {@code keys} (see {@link #writeString}), or null. */
    private static String readString(byte[] keys, int pos) {
        int len = ((keys[pos] & 0xFF) << 8) | (keys[pos + 1] & 0xFF);
        return len == ABSENT ? null : new String(keys, pos + 2, len, StandardCharsets.UTF_8);
    }

    /**
     * String {@code index} of the block's table (0 for the first).
     *
     * @throws IllegalStateException when the table has no such string
     */
    String tableString(int index) {
        if (index < 0 || index >= table.length) {
            throw new IllegalStateException("call block has no string " + index + " (of " + table.length + ")");
        }
        return table[index];
    }

    /** Whether the block's records are record JSON (version 1) rather than {@link CallRecordBytes}' form. */
    boolean recordsAreJson() {
        return version == VERSION_JSON;
    }

    /** The cost of call {@code i}; null when unknown. */
    BigDecimal cost(int i) {
        String s = string(i, COST);
        return s == null ? null : new BigDecimal(s);
    }

    /** Whether call {@code i} is before the position {@code (us, id)} in newest-first order. */
    boolean newerThan(int i, long us, String id) {
        return startedUs[i] > us || startedUs[i] == us && string(i, ID).compareTo(id) > 0;
    }

    /**
     * The stored form of a records part, the first {@code length} bytes of {@code bytes}: {@value #LZ4} (a byte), the
     * length (4 bytes, big-endian) and the bytes compressed as one LZ4 block.
     */
    private static byte[] pack(byte[] bytes, int length, Builder memory) {
        int max = 5 + memory.lz4.maxCompressedLength(length);
        if (memory.packed.length < max) {
            memory.packed = new byte[max];
        }
        byte[] out = memory.packed;
        out[0] = LZ4;
        ByteBuffer.wrap(out, 1, 4).putInt(length);
        int n = memory.lz4.compress(bytes, 0, length, out, 5, out.length - 5);
        return Arrays.copyOf(out, 5 + n);
    }

    /**
     * A block being built call by call ({@link #add}), then {@link #finish finished}: the records' bytes, the calls' keys
     * and the table of their strings, written as each call is added; the builder keeps no record. The call log's writer
     * adds each record as it builds it (the store's batch, {@link JdbcCallLogStore#newBatch}), while the strings it just
     * read to build and redact it are still in the processor's cache; by the time its batch is written (up to the
     * linger time later) they rarely are, and encoding them then spent a fifth of the writer's time waiting on memory
     * (docs/benchmarks.md, Call log overhead). Holding no record, the batch lets its records die young.
     *
     * <p>A builder is also the working memory of encoding blocks, kept from one block to the next ({@link #reset}):
     * fresh buffers per block (megabytes for a batch of 2,000 calls) would be allocated and zeroed for every batch,
     * passing that much memory through the caches besides what the block itself needs. Buffers that grew past
     * {@value #KEEP_BYTES} bytes for an unusually large block are let go at the reset after it. Not thread-safe.
     */
    static final class Builder {
        static final int KEEP_BYTES = 16 << 20;
        private CallRecordBytes.Writer records = new CallRecordBytes.Writer(64 << 10);
        private KeyBytes calls = new KeyBytes(16 << 10);
        private KeyBytes keys = new KeyBytes(16 << 10);
        private byte[] packed = new byte[0];
        private final Lz4Compressor lz4 = new Lz4Compressor();
        private final Map<String, Integer> strings = new HashMap<>();
        /** The key strings of the call being added, by column ({@link #DEPLOYMENT} … {@link #COST}). */
        private final String[] keyStrings = new String[COST + 1];
        /** {@link #ref}, made once rather than per call. */
        private final ToIntFunction<String> refs = this::ref;
        private int size;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        /**
         * Adds {@code r} as the block's next call.
         *
         * @throws RuntimeException when {@code r} cannot be encoded (a start beyond what a block's microseconds hold,
         *         say); the block is then as it was before
         */
        void add(CallRecord r) {
            int recordsMark = records.size();
            int callsMark = calls.size();
            int stringsMark = strings.size();
            try {
                long started = CallIndexRows.micros(r.startedAt());
                KeyBytes k = calls;
                k.putLong(started);
                k.putLong(r.latencyMs());
                k.putLong(r.inputTokens());
                k.putLong(r.outputTokens());
                k.putByte(r.status() == CallRecord.Status.SUCCESS ? 0 : 1);
                String[] key = keyStrings;
                key[DEPLOYMENT] = CallLogRows.cut(r.deployment(), CallLogRows.SHORT);
                key[VARIANT] = CallLogRows.cut(r.variant(), CallLogRows.SHORT);
                key[PROVIDER] = CallLogRows.cut(r.provider(), CallLogRows.SHORT);
                key[MODEL] = CallLogRows.cut(r.model(), CallLogRows.SHORT);
                key[ORIGIN] = CallLogRows.cut(r.origin(), CallLogRows.SHORT);
                key[ID] = CallLogRows.cut(r.id(), CallLogRows.SHORT);
                key[TRACE] = CallLogRows.cut(r.traceId(), CallLogRows.SHORT);
                key[COST] = r.costUsd() == null ? null : r.costUsd().toPlainString();
                int offset = records.size();
                CallRecordBytes.write(records, r, started, key, refs);
                k.putInt(offset);
                k.putInt(records.size() - offset);
                for (int c = DEPLOYMENT; c < SHARED; c++) {
                    k.putInt(ref(key[c]));
                }
                for (int c = SHARED; c <= COST; c++) {
                    k.putString(key[c]);
                }
                first = Math.min(first, started);
                last = Math.max(last, started);
                size++;
            } catch (RuntimeException e) {
                undo(recordsMark, callsMark, stringsMark);
                throw e;
            }
        }

        /**
         * Takes back a call that failed half way: its bytes, keys and the strings it added to the table are cut off,
         * so the block holds the calls added before it, as they were.
         */
        private void undo(int recordsMark, int callsMark, int stringsMark) {
            records.truncate(recordsMark);
            calls.truncate(callsMark);
            if (strings.size() > stringsMark) {
                strings.values().removeIf(ref -> ref > stringsMark);
            }
        }

        private int ref(String s) {
            if (s == null) {
                return 0;
            }
            Integer ref = strings.get(s);
            if (ref == null) {
                ref = strings.size() + 1;
                strings.put(s, ref);
            }
            return ref;
        }

        /** How many calls were added since the last reset. */
        int size() {
            return size;
        }

        /**
         * The block of the calls added since the last reset (one or more); the builder is unchanged.
         *
         * @throws IllegalStateException when no call was added
         */
        Encoded finish() {
            if (size == 0) {
                throw new IllegalStateException("a block needs at least one call");
            }
            return new Encoded(first, last, size, keyBytes(), pack(records.array(), records.size(), this));
        }

        /**
         * The calls added since the last reset, read back from their bytes, in order (for the rare writes that need
         * records rather than the block: one that merges into a small block, one whose ids must be looked up).
         */
        List<CallRecord> records() {
            if (size == 0) {
                return new ArrayList<>();
            }
            return decode(keyBytes()).recordsFrom(Arrays.copyOf(records.array(), records.size()), Long.MIN_VALUE);
        }

        /** The block's keys part: version, call count, string table, then the calls' keys. */
        private byte[] keyBytes() {
            keys.reset();
            keys.putByte(VERSION);
            keys.putInt(size);
            String[] table = new String[strings.size()];
            strings.forEach((s, ref) -> table[ref - 1] = s);
            keys.putInt(table.length);
            for (String s : table) {
                keys.putString(s);
            }
            keys.put(calls);
            return keys.toByteArray();
        }

        /** Forgets the calls added, keeping the memory (unless it grew past {@value #KEEP_BYTES} bytes). */
        void reset() {
            records.truncate(0);
            calls.reset();
            strings.clear();
            size = 0;
            first = Long.MAX_VALUE;
            last = Long.MIN_VALUE;
            if (records.capacity() > KEEP_BYTES) {
                records = new CallRecordBytes.Writer(64 << 10);
            }
            if (calls.capacity() > KEEP_BYTES) {
                calls = new KeyBytes(16 << 10);
            }
            if (keys.capacity() > KEEP_BYTES) {
                keys = new KeyBytes(16 << 10);
            }
            if (packed.length > KEEP_BYTES) {
                packed = new byte[0];
            }
        }
    }

    /**
     * A records part's bytes from their stored form ({@link #pack}).
     *
     * @throws IllegalStateException when it is not one this code wrote
     */
    static byte[] unpack(byte[] stored) {
        if (stored.length < 5 || stored[0] != LZ4) {
            throw new IllegalStateException("call block records of an unknown form" + (stored.length == 0 ? "" : " (" + stored[0] + ")"));
        }
        byte[] json = new byte[ByteBuffer.wrap(stored, 1, 4).getInt()];
        try {
            int n = new Lz4Decompressor().decompress(stored, 5, stored.length - 5, json, 0, json.length);
            if (n != json.length) {
                throw new IllegalStateException("call block records are cut short: " + n + " of " + json.length + " bytes");
            }
        } catch (MalformedInputException e) {
            throw new IllegalStateException("call block records are damaged: " + e.getMessage(), e);
        }
        return json;
    }

    /** Call {@code i}'s record, parsed from {@code records} (the block's records part, {@link #unpack unpacked}). */
    CallRecord record(byte[] records, int i) {
        return version == VERSION_JSON ? CallRecordJson.read(records, offset[i], length[i]) : CallRecordBytes.read(this, i, records);
    }

    /** The records of the calls started at or after {@code fromUs}, in the block's order, parsed from {@code records}. */
    List<CallRecord> recordsFrom(byte[] records, long fromUs) {
        List<CallRecord> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (startedUs[i] >= fromUs) {
                out.add(record(records, i));
            }
        }
        return out;
    }

    /** Encodes {@code records} (one or more) as a block, with working memory of its own. */
    static Encoded encode(List<CallRecord> records) {
        return encode(records, new Builder());
    }

    /** Encodes {@code records} (one or more) as a block in {@code builder}, which is reset first. */
    static Encoded encode(List<CallRecord> records, Builder builder) {
        builder.reset();
        for (CallRecord r : records) {
            builder.add(r);
        }
        return builder.finish();
    }

    /**
     * Bytes written big-endian into an array that grows as needed: what a {@link DataOutputStream} over a
     * {@link ByteArrayOutputStream} writes, without a synchronized call per byte. Not thread-safe.
     */
    private static final class KeyBytes {
        private ByteBuffer buf;

        KeyBytes(int size) {
            buf = ByteBuffer.allocate(size);
        }

        /** The buffer, with room for {@code n} more bytes. */
        private ByteBuffer room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer more = ByteBuffer.allocate(Math.max(2 * buf.capacity(), buf.position() + n));
                more.put(buf.array(), 0, buf.position());
                buf = more;
            }
            return buf;
        }

        void putByte(int v) {
            room(1).put((byte) v);
        }

        void putInt(int v) {
            room(4).putInt(v);
        }

        void putLong(long v) {
            room(8).putLong(v);
        }

        /** {@code s} as a 16-bit length and its UTF-8 bytes (cut to fit), or the length {@value #ABSENT} for null. */
        void putString(String s) {
            if (s == null) {
                room(2).putShort((short) ABSENT);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, ABSENT - 1); // never in practice: strings are cut to 500 characters
            room(2 + n).putShort((short) n).put(b, 0, n);
        }

        /** Appends what {@code other} holds. */
        void put(KeyBytes other) {
            room(other.size()).put(other.buf.array(), 0, other.size());
        }

        int size() {
            return buf.position();
        }

        int capacity() {
            return buf.capacity();
        }

        void reset() {
            buf.clear();
        }

        /** Forgets what was written after the first {@code size} bytes. */
        void truncate(int size) {
            buf.position(size);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private static int skipString(ByteBuffer in) {
        int at = in.position();
        int len = in.getShort() & 0xFFFF;
        if (len != ABSENT) {
            in.position(in.position() + len);
        }
        return at;
    }

    /**
     * Decodes a block's keys.
     *
     * @throws IllegalStateException when they are not a block's keys of a version this code reads
     */
    static CallBlock decode(byte[] keys) {
        try {
            ByteBuffer in = ByteBuffer.wrap(keys);
            int version = in.get() & 0xFF;
            if (version != VERSION && version != VERSION_JSON) {
                throw new IllegalStateException("call block keys of version " + version + ", this gateway reads versions "
                        + VERSION_JSON + " and " + VERSION);
            }
            int n = in.getInt();
            String[] table = new String[in.getInt()];
            for (int i = 0; i < table.length; i++) {
                table[i] = readString(keys, skipString(in));
            }
            CallBlock b = new CallBlock(keys, version, n, table);
            for (int i = 0; i < n; i++) {
                b.startedUs[i] = in.getLong();
                b.latencyMs[i] = in.getLong();
                b.inputTokens[i] = in.getLong();
                b.outputTokens[i] = in.getLong();
                b.error[i] = in.get() != 0;
                b.offset[i] = in.getInt();
                b.length[i] = in.getInt();
                for (int c = 0; c < SHARED; c++) {
                    b.refs[i * SHARED + c] = in.getInt();
                }
                for (int c = 0; c < OWN; c++) {
                    b.own[i * OWN + c] = skipString(in);
                }
            }
            return b;
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("call block keys are cut short", e);
        }
    }
}
