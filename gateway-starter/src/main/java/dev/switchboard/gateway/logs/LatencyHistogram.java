package dev.switchboard.gateway.logs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Latencies (whole milliseconds) counted per value, for the percentiles of pre-aggregated statistics. Values below
 * {@value #EXACT} ms are kept exactly; larger ones are rounded to the middle of a log-linear step of 1/128 of
 * their power of two (the HdrHistogram layout), so a percentile is exact when the values around it are below
 * {@value #EXACT} ms and within 0.4% otherwise, and a histogram holds at most 128 values per doubling of the
 * latency (about 1,200 up to an hour). Percentiles interpolate like SQL's
 * {@code PERCENTILE_CONT}. The text form ({@link #encode()}, {@link #decode}) is
 * {@code value:count,value:count,...} in ascending order, deltas of values.
 *
 * <p>Not thread-safe.
 */
final class LatencyHistogram {
    /** Values below this are kept exactly. */
    static final long EXACT = 256;
    private long[] values = new long[8];
    private long[] counts = new long[8];
    private int size;
    private long total;

    /** The value {@code v} is kept as (negative values count as 0). */
    static long bucketOf(long v) {
        if (v < EXACT) {
            return Math.max(0, v);
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 7; // 128 steps per power of two
        long low = (v >>> shift) << shift;
        return low + ((1L << shift) >>> 1);
    }

    /** Counts one latency. */
    void record(long latencyMs) {
        add(bucketOf(latencyMs), 1);
    }

    /** Adds every count of {@code other} (see {@link #merged}). */
    void merge(LatencyHistogram other) {
        if (other.size == 0) {
            return;
        }
        LatencyHistogram m = merged(this, other);
        values = m.values;
        counts = m.counts;
        size = m.size;
        total = m.total;
    }

    /**
     * The counts of both {@code a} and {@code b} in a new histogram; neither changes. One pass over both (their values
     * are sorted), not a search per value.
     */
    static LatencyHistogram merged(LatencyHistogram a, LatencyHistogram b) {
        long[] v = new long[Math.max(a.size + b.size, 8)];
        long[] c = new long[v.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.size || j < b.size) {
            if (j == b.size || i < a.size && a.values[i] < b.values[j]) {
                v[n] = a.values[i];
                c[n++] = a.counts[i++];
            } else if (i == a.size || b.values[j] < a.values[i]) {
                v[n] = b.values[j];
                c[n++] = b.counts[j++];
            } else {
                v[n] = a.values[i];
                c[n++] = a.counts[i++] + b.counts[j++];
            }
        }
        LatencyHistogram m = new LatencyHistogram();
        m.values = v;
        m.counts = c;
        m.size = n;
        m.total = a.total + b.total;
        return m;
    }

    /** How many latencies were counted. */
    long count() {
        return total;
    }

    private void add(long value, long count) {
        int i = Arrays.binarySearch(values, 0, size, value);
        if (i >= 0) {
            counts[i] += count;
        } else {
            int at = -i - 1;
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            System.arraycopy(values, at, values, at + 1, size - at);
            System.arraycopy(counts, at, counts, at + 1, size - at);
            values[at] = value;
            counts[at] = count;
            size++;
        }
        total += count;
    }

    /**
     * The {@code p} percentile, interpolated between the two nearest ranks as {@code PERCENTILE_CONT(p)} does;
     * 0 without values.
     */
    double percentile(double p) {
        if (total == 0) {
            return 0;
        }
        BigDecimal rank = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(total - 1));
        long lo = rank.setScale(0, RoundingMode.FLOOR).longValueExact();
        BigDecimal fraction = rank.subtract(BigDecimal.valueOf(lo));
        long a = valueAt(lo);
        if (fraction.signum() == 0) {
            return a;
        }
        long b = valueAt(lo + 1);
        return BigDecimal.valueOf(a).add(BigDecimal.valueOf(b - a).multiply(fraction)).doubleValue();
    }

    /** The value of rank {@code r} (0-based) in ascending order. */
    private long valueAt(long r) {
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (r < seen) {
                return values[i];
            }
        }
        return values[size - 1];
    }

    /** The text form: {@code delta:count} pairs separated by commas, ascending. */
    String encode() {
        StringBuilder sb = new StringBuilder(size * 6);
        long prev = 0;
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i] - prev).append(':').append(counts[i]);
            prev = values[i];
        }
        return sb.toString();
    }

    /**
     * Reads {@link #encode()}'s form.
     *
     * @throws IllegalArgumentException when {@code text} is not in that form
     */
    static LatencyHistogram decode(String text) {
        LatencyHistogram h = new LatencyHistogram();
        if (text == null || text.isEmpty()) {
            return h;
        }
        long prev = 0;
        int i = 0;
        int n = text.length();
        try {
            while (i < n) {
                int colon = text.indexOf(':', i);
                int comma = text.indexOf(',', colon);
                int end = comma < 0 ? n : comma;
                long value = prev + Long.parseLong(text, i, colon, 10);
                h.add(value, Long.parseLong(text, colon + 1, end, 10));
                prev = value;
                i = end + 1;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a latency histogram: " + (n > 40 ? text.substring(0, 40) + "…" : text), e);
        }
        return h;
    }
}
