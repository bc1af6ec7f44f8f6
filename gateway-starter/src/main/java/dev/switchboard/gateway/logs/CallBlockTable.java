package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallRecord;
import dev.switchboard.runtime.calllog.CallRecordJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The call tables of the embedded databases (SQLite, H2; schema version 4): a written batch is one {@link CallBlock},
 * stored as one row of {@code sb_call_blocks} (its time range, size and keys) and one of
 * {@code sb_call_block_records} (its records' JSON, compressed). Writing a batch is two inserts and the statistics
 * rollup, whatever its size: a call costs the gateway's CPU its JSON encoding and little more, where rows and index
 * entries per call cost twice that (docs/benchmarks.md, Call log overhead). Searches read the keys of the blocks
 * whose time range overlaps theirs, newest first, and records parts only when a filter needs the records (text,
 * metadata, feedback) and for the page shown ({@link CallBlockSearch}). Stateless and thread-safe; callers
 * serialize writes (see {@link JdbcCallLogStore}).
 */
final class CallBlockTable {
    /** The tables (the embedded dialects only; PostgreSQL keeps rows per call, on its own CPU). */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE IF NOT EXISTS sb_call_blocks (id {ID} NOT NULL PRIMARY KEY, first_us BIGINT NOT NULL,"
                    + " last_us BIGINT NOT NULL, calls INTEGER NOT NULL, key_data {BYTES} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sb_call_blocks_last ON sb_call_blocks (last_us)",
            "CREATE TABLE IF NOT EXISTS sb_call_block_records (block_id {ID} NOT NULL PRIMARY KEY, record_data {BYTES} NOT NULL)");
    /** The most calls a block takes in from later batches ({@link #append}). */
    static final int SMALL = 256;
    /** Calls per block when rows of an older schema are moved into blocks. */
    static final int MOVE_CHUNK = 2_000;

    private CallBlockTable() {
    }

    /**
     * What {@link #scan} calls per block: its id, its newest call's start, its keys and, when the scan reads them, its
     * records part (unpacked; null otherwise). Returns false to stop.
     */
    @FunctionalInterface
    interface Visitor {
        boolean visit(long id, long lastUs, CallBlock keys, byte[] records) throws SQLException;
    }

    /** A stored block read whole: its keys and its records part, unpacked. */
    record Stored(CallBlock keys, byte[] records) {
    }

    /** The newest block (the largest id) and how many calls it holds. */
    private record Newest(long id, int calls) {
    }

    /**
     * A batch gathered call by call as the call log's writer builds its records (the store's batch,
     * {@link JdbcCallLogStore#newBatch}): its block, its statistics and its ids' hashes, so that writing it reads no
     * record again (they were built up to the linger time before and are rarely still in the processor's cache), and
     * holds none (records that waited for their batch were copied by every young collection meanwhile). The rare
     * writes that need records read them back from the block's JSON ({@link #records}). Not thread-safe.
     */
    static final class Gathering {
        private final CallBlock.Builder block = new CallBlock.Builder();
        private CallStatsRollup.Batch stats = new CallStatsRollup.Batch();
        private long[] hashes = new long[256];

        /**
         * Adds {@code r} as the batch's next call.
         *
         * @throws RuntimeException when it cannot be encoded; the batch is then as it was
         */
        void add(CallRecord r) {
            int n = block.size();
            long hash = RecentIds.hash(CallLogRows.cut(r.id(), CallLogRows.SHORT));
            block.add(r); // the one step that can fail, and it takes itself back when it does
            stats.add(r);
            if (n == hashes.length) {
                hashes = Arrays.copyOf(hashes, 2 * n);
            }
            hashes[n] = hash;
        }

        int size() {
            return block.size();
        }

        /** The batch's records, read back from its block. */
        List<CallRecord> records() {
            return block.records();
        }

        private long[] hashes() {
            return Arrays.copyOf(hashes, block.size());
        }

        /** Forgets the batch, keeping the block's memory. */
        void reset() {
            block.reset();
            stats = new CallStatsRollup.Batch(); // not cleared: its totals may be remembered (CallStatsRollup.Recent)
        }
    }

    /**
     * Stores the calls of {@code gathered} (one or more) as one block, in one transaction (the caller serializes
     * these), from what was gathered: no record is read. When its ids may have been stored before (two equal hashes,
     * or hashes {@code recent} has seen), its records are read back from the block and written as records from
     * elsewhere are ({@link #write(Connection, CallLogDialect, List, CallStatsRollup.Recent, RecentIds, boolean,
     * CallBlock.Builder)}, in {@code memory}). {@code gathered} is unchanged, so it can be written again after a failure.
     *
     * @return how many calls were new
     * @throws SQLException when the batch was not stored (nothing of it is)
     */
    static int write(Connection c, CallLogDialect dialect, Gathering gathered, CallStatsRollup.Recent stats, RecentIds recent,
                     CallBlock.Builder memory) throws SQLException {
        long[] hashes = gathered.hashes();
        if (!distinct(hashes) || recent.mayContainAny(hashes)) {
            return write(c, dialect, gathered.records(), stats, recent, true, memory);
        }
        return Transactions.inOne(c, () -> {
            Newest newest = newest(c);
            if (newest == null || newest.calls() + gathered.size() > SMALL) {
                insert(c, newest == null ? 1 : newest.id() + 1, gathered.block.finish());
            } else {
                merge(c, newest, gathered.records(), memory);
            }
            Map<String, CallStatsTotals> totals = CallStatsRollup.write(c, dialect, gathered.stats, stats);
            c.commit();
            stats.remember(totals);
            recent.addAll(hashes);
            return gathered.size();
        });
    }

    private static boolean distinct(long[] hashes) {
        long[] sorted = hashes.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stores the calls of {@code records} whose ids are not stored yet as one block, in one transaction (the caller
     * serializes these), encoded in {@code memory}. Ids are looked up in the database when {@code lookUp} is set
     * (records from outside, or a batch written again after a failure) or when {@code recent} may have seen one of them.
     *
     * @return how many were new
     * @throws SQLException when the batch was not stored (nothing of it is)
     */
    static int write(Connection c, CallLogDialect dialect, List<CallRecord> records, CallStatsRollup.Recent stats,
                     RecentIds recent, boolean lookUp, CallBlock.Builder memory) throws SQLException {
        return Transactions.inOne(c, () -> {
            List<CallRecord> fresh = CallLogRows.distinct(records);
            long[] hashes = RecentIds.hashes(fresh);
            if (lookUp || recent.mayContainAny(hashes)) {
                Set<String> stored = stored(c, fresh);
                if (!stored.isEmpty()) {
                    fresh = fresh.stream().filter(r -> !stored.contains(CallLogRows.cut(r.id(), CallLogRows.SHORT))).toList();
                    hashes = RecentIds.hashes(fresh);
                }
            }
            Map<String, CallStatsTotals> totals = Map.of();
            if (!fresh.isEmpty()) {
                append(c, fresh, memory);
                totals = CallStatsRollup.add(c, dialect, fresh, stats);
            }
            c.commit();
            stats.remember(totals);
            recent.addAll(hashes);
            return fresh.size();
        });
    }

    /**
     * Stores {@code records} as a new block, or adds them to the newest block (rewriting it) when that block and
     * they make at most {@value #SMALL} calls together. A quiet gateway writes a batch of a few calls per linger
     * period: without this it would leave a block per batch, and searches would read them one by one. A busy one
     * writes batches larger than that, which never rewrite a block.
     */
    private static void append(Connection c, List<CallRecord> records, CallBlock.Builder memory) throws SQLException {
        Newest newest = newest(c);
        if (newest == null || newest.calls() + records.size() > SMALL) {
            insert(c, newest == null ? 1 : newest.id() + 1, CallBlock.encode(records, memory));
        } else {
            merge(c, newest, records, memory);
        }
    }

    /** Rewrites the block {@code newest} with {@code records} added after its calls, encoded in {@code memory}. */
    private static void merge(Connection c, Newest newest, List<CallRecord> records, CallBlock.Builder memory) throws SQLException {
        Stored stored = read(c, newest.id());
        List<CallRecord> all = stored.keys().recordsFrom(stored.records(), Long.MIN_VALUE);
        all.addAll(records);
        replace(c, newest.id(), CallBlock.encode(all, memory));
    }

    /** The newest block; null when there is none. */
    private static Newest newest(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, calls FROM sb_call_blocks WHERE id = (SELECT MAX(id) FROM sb_call_blocks)")) {
            return rs.next() ? new Newest(rs.getLong(1), rs.getInt(2)) : null;
        }
    }

    private static void insert(Connection c, long id, CallBlock.Encoded b) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sb_call_blocks (id, first_us, last_us, calls, key_data) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, id);
            p.setLong(2, b.firstUs());
            p.setLong(3, b.lastUs());
            p.setInt(4, b.calls());
            p.setBytes(5, b.keys());
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sb_call_block_records (block_id, record_data) VALUES (?, ?)")) {
            p.setLong(1, id);
            p.setBytes(2, b.records());
            p.executeUpdate();
        }
    }

    /**
     * Visits the blocks holding calls started in {@code [fromUs, toUs]} (both inclusive), by their newest call's
     * start, newest first, until the visitor returns false.
     */
    static void scan(Connection c, long fromUs, long toUs, Visitor v) throws SQLException {
        scan(c, fromUs, toUs, false, v);
    }

    /**
     * As {@link #scan(Connection, long, long, Visitor)}; with {@code withRecords}, reading each block's records part
     * too, in the same query (a search that reads records reads them from most blocks).
     */
    static void scan(Connection c, long fromUs, long toUs, boolean withRecords, Visitor v) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT b.id, b.last_us, b.key_data"
                + (withRecords ? ", r.record_data FROM sb_call_blocks b JOIN sb_call_block_records r ON r.block_id = b.id"
                        : " FROM sb_call_blocks b")
                + " WHERE b.last_us >= ? AND b.first_us <= ? ORDER BY b.last_us DESC, b.id DESC")) {
            q.setLong(1, fromUs);
            q.setLong(2, toUs);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    byte[] records = withRecords ? CallBlock.unpack(rs.getBytes(4)) : null;
                    if (!v.visit(rs.getLong(1), rs.getLong(2), CallBlock.decode(rs.getBytes(3)), records)) {
                        return;
                    }
                }
            }
        }
    }

    /** Block {@code id} read whole. */
    static Stored read(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT b.key_data, r.record_data FROM sb_call_blocks b"
                + " JOIN sb_call_block_records r ON r.block_id = b.id WHERE b.id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("call block " + id + " is not stored whole");
                }
                return new Stored(CallBlock.decode(rs.getBytes(1)), CallBlock.unpack(rs.getBytes(2)));
            }
        }
    }

    /** The records part of block {@code id}, unpacked. */
    static byte[] records(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT record_data FROM sb_call_block_records WHERE block_id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("call block " + id + " has no records row");
                }
                return CallBlock.unpack(rs.getBytes(1));
            }
        }
    }

    /** The ids among {@code records}' that are stored (looked up in the blocks their start times fall in). */
    static Set<String> stored(Connection c, List<CallRecord> records) throws SQLException {
        Set<String> wanted = new HashSet<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (CallRecord r : records) {
            wanted.add(CallLogRows.cut(r.id(), CallLogRows.SHORT));
            long us = CallIndexRows.micros(r.startedAt());
            from = Math.min(from, us);
            to = Math.max(to, us);
        }
        return storedIds(c, from, to, wanted);
    }

    /** Which of {@code ids} are stored in the blocks holding calls started in {@code [fromUs, toUs]}. */
    private static Set<String> storedIds(Connection c, long fromUs, long toUs, Set<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        scan(c, fromUs, toUs, (id, last, keys, records) -> {
            for (int i = 0; i < keys.size; i++) {
                String callId = keys.string(i, CallBlock.ID);
                if (ids.contains(callId)) {
                    found.add(callId);
                }
            }
            return found.size() < ids.size();
        });
        return found;
    }

    /**
     * Deletes the calls started before {@code cutoffUs}: whole blocks, and the old calls of blocks that also hold
     * newer ones (rewritten without them), in the caller's transaction.
     *
     * @return how many calls
     */
    static long deleteBefore(Connection c, long cutoffUs) throws SQLException {
        long n = 0;
        try (PreparedStatement count = c.prepareStatement("SELECT COALESCE(SUM(calls), 0) FROM sb_call_blocks WHERE last_us < ?")) {
            count.setLong(1, cutoffUs);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        try (PreparedStatement records = c.prepareStatement("DELETE FROM sb_call_block_records WHERE block_id IN"
                + " (SELECT id FROM sb_call_blocks WHERE last_us < ?)");
             PreparedStatement blocks = c.prepareStatement("DELETE FROM sb_call_blocks WHERE last_us < ?")) {
            records.setLong(1, cutoffUs);
            records.executeUpdate();
            blocks.setLong(1, cutoffUs);
            blocks.executeUpdate();
        }
        List<Long> straddling = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM sb_call_blocks WHERE first_us < ?")) {
            q.setLong(1, cutoffUs);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    straddling.add(rs.getLong(1));
                }
            }
        }
        for (long id : straddling) {
            n += rewriteFrom(c, id, cutoffUs);
        }
        return n;
    }

    /** Rewrites block {@code id} without its calls started before {@code cutoffUs}; returns how many went. */
    private static long rewriteFrom(Connection c, long id, long cutoffUs) throws SQLException {
        Stored stored = read(c, id);
        List<CallRecord> kept = stored.keys().recordsFrom(stored.records(), cutoffUs);
        replace(c, id, CallBlock.encode(kept)); // never empty: the block's newest call is at or after the cutoff
        return stored.keys().size - kept.size();
    }

    /** Replaces block {@code id}'s range, size, keys and records by {@code b}'s. */
    private static void replace(Connection c, long id, CallBlock.Encoded b) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE sb_call_blocks SET first_us = ?, last_us = ?, calls = ?, key_data = ? WHERE id = ?");
             PreparedStatement r = c.prepareStatement("UPDATE sb_call_block_records SET record_data = ? WHERE block_id = ?")) {
            u.setLong(1, b.firstUs());
            u.setLong(2, b.lastUs());
            u.setInt(3, b.calls());
            u.setBytes(4, b.keys());
            u.setLong(5, id);
            u.executeUpdate();
            r.setBytes(1, b.records());
            r.setLong(2, id);
            r.executeUpdate();
        }
    }

    /** Which of {@code ids} are stored (for feedback retention: scans every block's keys). */
    static Set<String> storedIds(Connection c, Set<String> ids) throws SQLException {
        return storedIds(c, Long.MIN_VALUE, Long.MAX_VALUE, ids);
    }

    /**
     * Moves the calls of schema 3's rows ({@code sb_calls}, {@code sb_call_index}) into blocks of {@value #MOVE_CHUNK},
     * oldest first, and empties those tables (migration 4 of an embedded database; the statistics rows stay).
     */
    static void moveRows(Connection c) throws SQLException {
        List<CallRecord> chunk = new ArrayList<>(MOVE_CHUNK);
        CallBlock.Builder memory = new CallBlock.Builder();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.record_json FROM sb_calls c JOIN sb_call_index i ON i.id = c.id ORDER BY i.started_us, i.id")) {
            while (rs.next()) {
                chunk.add(CallRecordJson.read(rs.getString(1)));
                if (chunk.size() == MOVE_CHUNK) {
                    append(c, chunk, memory);
                    chunk.clear();
                }
            }
        }
        if (!chunk.isEmpty()) {
            append(c, chunk, memory);
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM sb_call_index");
            s.executeUpdate("DELETE FROM sb_calls");
        }
    }
}
