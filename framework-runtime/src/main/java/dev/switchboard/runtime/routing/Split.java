package dev.switchboard.runtime.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A weighted split among variants, sticky on one context attribute: the same value always lands in
 * the same variant, in every process and after restarts, because the bucket is a fixed hash (64-bit
 * FNV-1a, then a final avalanche mix) of {@code salt} and the value — never of anything random or
 * process-specific. Changing one rule's weights moves only the share that changed, since buckets are
 * laid out in declaration order. Immutable and thread-safe.
 *
 * @param key     the context attribute to bucket on (for example {@code user_id})
 * @param salt    distinguishes experiments so their buckets are independent (deployment key and rule)
 * @param weights variants with their weights in percent, summing to 100
 */
public record Split(String key, String salt, List<Weight> weights) {

    /** Number of buckets; weights have a resolution of 0.01%. */
    static final int BUCKETS = 10_000;

    /**
     * One variant's share.
     *
     * @param variant the variant name
     * @param percent its weight in percent
     */
    public record Weight(String variant, double percent) {
    }

    /** Checks weights. */
    public Split {
        Objects.requireNonNull(key, "key");
        weights = List.copyOf(weights);
        double sum = 0;
        for (Weight w : weights) {
            if (w.percent() < 0) {
                throw new IllegalArgumentException("weight of '" + w.variant() + "' must not be negative");
            }
            sum += w.percent();
        }
        if (Math.abs(sum - 100) > 1e-6) {
            throw new IllegalArgumentException("weights must sum to 100, they sum to " + sum);
        }
    }

    /** The variant for a context value. */
    public String pick(String value) {
        int bucket = bucket(salt, value);
        double edge = 0;
        for (Weight w : weights) {
            edge += w.percent() * (BUCKETS / 100.0);
            if (bucket < Math.round(edge)) {
                return w.variant();
            }
        }
        return weights.get(weights.size() - 1).variant();
    }

    /** The bucket (0 to 9,999) of a value under a salt. */
    static int bucket(String salt, String value) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, salt);
        h = (h ^ 0x1f) * 0x100000001b3L;
        h = fnv(h, value);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }

    private static long fnv(long h, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
