package dev.switchboard.gateway.logs;

/**
 * The UTC time buckets statistics are pre-aggregated in ({@code sb_call_stats.grain}), finest first. Buckets are
 * aligned to the epoch, so an hour holds 60 whole minutes and a UTC day 24 whole hours. Immutable.
 */
enum CallStatsGrain {
    /** one minute */
    MINUTE("m", 60_000_000L),
    /** one hour */
    HOUR("h", 3_600_000_000L),
    /** one UTC day */
    DAY("d", 86_400_000_000L);

    private final String code;
    private final long micros;

    CallStatsGrain(String code, long micros) {
        this.code = code;
        this.micros = micros;
    }

    /** The stored code. */
    String code() {
        return code;
    }

    /** The bucket's length in microseconds. */
    long micros() {
        return micros;
    }

    /** The start of the bucket holding {@code us} (epoch microseconds). */
    long floor(long us) {
        return Math.floorDiv(us, micros) * micros;
    }

    /** The first bucket start at or after {@code us}. */
    long ceil(long us) {
        long f = floor(us);
        return f == us ? f : f + micros;
    }

    /** The grain of a {@code /v1/stats} bucket. */
    static CallStatsGrain of(CallStatsQuery.Bucket b) {
        return switch (b) {
            case MINUTE -> MINUTE;
            case HOUR -> HOUR;
            case DAY -> DAY;
        };
    }
}
