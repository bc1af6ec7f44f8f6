package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallRecord;
import java.util.Arrays;
import java.util.List;

/**
 * The ids of the calls a store wrote lately, as 64-bit hashes in two generations of {@code generation} ids each
 * (about 16 bytes per id, no object per id): what lets a block store skip looking ids up in the database for a
 * batch of new calls, and look them up when one of them may have been written before (a batch written again).
 * A hash matching an id it was not made from is harmless: the ids are then looked up. Thread-safe.
 */
final class RecentIds {
    private final int generation;
    private long[] current;
    private long[] previous;
    private int size;

    RecentIds(int generation) {
        if (generation <= 0) {
            throw new IllegalArgumentException("generation must be positive: " + generation);
        }
        this.generation = generation;
        this.current = table();
        this.previous = table();
    }

    private long[] table() {
        return new long[Integer.highestOneBit(generation) * 4];
    }

    /** The hashes of {@code records}' ids (as stored: cut to {@value CallLogRows#SHORT} characters), in order. */
    static long[] hashes(List<CallRecord> records) {
        long[] out = new long[records.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hash(CallLogRows.cut(records.get(i).id(), CallLogRows.SHORT));
        }
        return out;
    }

    /** Whether any of the ids whose {@link #hashes} these are may have been added. */
    synchronized boolean mayContainAny(long[] hashes) {
        for (long h : hashes) {
            if (contains(current, h) || contains(previous, h)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the ids whose {@link #hashes} these are; the oldest generation is forgotten when the newest is full. */
    synchronized void addAll(long[] hashes) {
        for (long h : hashes) {
            if (size == generation) {
                long[] t = previous;
                previous = current;
                Arrays.fill(t, 0);
                current = t;
                size = 0;
            }
            if (put(current, h)) {
                size++;
            }
        }
    }

    private static boolean contains(long[] t, long h) {
        int mask = t.length - 1;
        for (int i = (int) h & mask; t[i] != 0; i = (i + 1) & mask) {
            if (t[i] == h) {
                return true;
            }
        }
        return false;
    }

    private static boolean put(long[] t, long h) {
        int mask = t.length - 1;
        int i = (int) h & mask;
        for (; t[i] != 0; i = (i + 1) & mask) {
            if (t[i] == h) {
                return false;
            }
        }
        t[i] = h;
        return true;
    }

    /** A 64-bit hash of {@code id} (FNV-1a over its chars, then mixed); never 0, the empty slot. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
