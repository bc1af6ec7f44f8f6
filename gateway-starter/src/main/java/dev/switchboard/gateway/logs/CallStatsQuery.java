package dev.switchboard.gateway.logs;

import dev.switchboard.runtime.calllog.CallLogFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code /v1/stats} asks for: calls started in {@code [from, to)}, optionally filtered, grouped by one
 * dimension and by UTC time bucket. Immutable.
 *
 * <pre>{@code
 * new CallStatsQuery(GroupBy.DEPLOYMENT, Bucket.HOUR, now.minus(Duration.ofDays(1)), now, null, null, null)
 * }</pre>
 *
 * @param groupBy    the dimension
 * @param bucket     the time bucket
 * @param from       start, inclusive
 * @param to         end, exclusive
 * @param deployment only this deployment, or null
 * @param provider   only this provider entry, or null
 * @param model      only this model, or null
 */
public record CallStatsQuery(GroupBy groupBy, Bucket bucket, Instant from, Instant to, String deployment, String provider,
                             String model) {
    /** The most buckets one query may span. */
    public static final long MAX_BUCKETS = 10_000;

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException when {@code to} is not after {@code from} or the range spans more than
     *                                  {@link #MAX_BUCKETS} buckets
     */
    public CallStatsQuery {
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("'to' must be after 'from'");
        }
        if (Duration.between(from, to).dividedBy(bucket.size()) > MAX_BUCKETS) {
            throw new IllegalArgumentException("the range spans more than " + MAX_BUCKETS + " buckets of " + bucket.label()
                    + ": narrow it or take a larger bucket");
        }
    }

    /** The calls this query covers, as a search filter (for stores that aggregate records themselves). */
    public CallLogFilter filter() {
        return new CallLogFilter(from, to, deployment, null, provider, model, null, null, null, null, Map.of(), null, 0, null);
    }

    /** The dimension calls are grouped by. */
    public enum GroupBy {
        /** the deployment key */
        DEPLOYMENT("deployment"),
        /** the model that answered (the last tried on error) */
        MODEL("model"),
        /** the provider entry that answered (the last tried on error) */
        PROVIDER("provider");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }

        /** The column (and query parameter value). */
        public String column() {
            return column;
        }

        /** @throws IllegalArgumentException for anything but deployment, model or provider */
        public static GroupBy parse(String s) {
            for (GroupBy g : values()) {
                if (g.column.equals(s.toLowerCase(Locale.ROOT))) {
                    return g;
                }
            }
            throw new IllegalArgumentException("group_by must be deployment, model or provider, was '" + s + "'");
        }
    }

    /** A UTC time bucket. */
    public enum Bucket {
        /** one minute */
        MINUTE("1m", "minute", Duration.ofMinutes(1)),
        /** one hour */
        HOUR("1h", "hour", Duration.ofHours(1)),
        /** one day (UTC) */
        DAY("1d", "day", Duration.ofDays(1));

        private final String label;
        private final String unit;
        private final Duration size;

        Bucket(String label, String unit, Duration size) {
            this.label = label;
            this.unit = unit;
            this.size = size;
        }

        /** {@code 1m}, {@code 1h} or {@code 1d}. */
        public String label() {
            return label;
        }

        /** The SQL {@code date_trunc} unit. */
        String unit() {
            return unit;
        }

        /** The bucket's length. */
        public Duration size() {
            return size;
        }

        /** @throws IllegalArgumentException for anything but 1m, 1h or 1d */
        public static Bucket parse(String s) {
            for (Bucket b : values()) {
                if (b.label.equals(s.toLowerCase(Locale.ROOT))) {
                    return b;
                }
            }
            throw new IllegalArgumentException("bucket must be 1m, 1h or 1d, was '" + s + "'");
        }
    }
}
