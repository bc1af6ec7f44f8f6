package dev.switchboard.gateway;

import dev.switchboard.gateway.logs.CallStatsQuery;
import dev.switchboard.runtime.calllog.CallLogFilter;
import dev.switchboard.runtime.calllog.CallRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the query parameters of {@code GET /v1/logs} and {@code GET /v1/stats}; every error is a 400 naming the
 * parameter. Times are ISO-8601 ({@code 2025-08-15T10:00:00Z}, with an offset, or a date for its UTC midnight).
 * Stateless and thread-safe.
 */
final class LogQueries {
    static final int MAX_LIMIT = 200;
    private static final String META = "metadata.";
    private static final Set<String> LOG_PARAMS = Set.of("deployment", "variant", "provider", "model", "status", "from", "to",
            "min_latency_ms", "q", "origin", "trace_id", "limit", "cursor", "feedback", "min_score");
    private static final Set<String> STATS_PARAMS = Set.of("group_by", "bucket", "from", "to", "deployment", "provider", "model");

    private LogQueries() {
    }

    /** The search of a {@code /v1/logs} request. */
    static CallLogFilter filter(Map<String, List<String>> q) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String name : q.keySet()) {
            if (name.startsWith(META) && name.length() > META.length()) {
                metadata.put(name.substring(META.length()), one(q, name));
            } else if (!LOG_PARAMS.contains(name)) {
                throw GatewayException.badRequest(name, "unknown parameter '" + name + "' (known: " + LOG_PARAMS + " and metadata.<key>)");
            }
        }
        Instant from = time(q, "from");
        Instant to = time(q, "to");
        String status = one(q, "status");
        CallRecord.Status st = null;
        if (status != null) {
            st = switch (status) {
                case "success" -> CallRecord.Status.SUCCESS;
                case "error" -> CallRecord.Status.ERROR;
                default -> throw GatewayException.badRequest("status", "status must be success or error, was '" + status + "'");
            };
        }
        Long minLatency = number(q, "min_latency_ms", 0, Long.MAX_VALUE);
        Long limit = number(q, "limit", 1, MAX_LIMIT);
        return new CallLogFilter(from, to, one(q, "deployment"), one(q, "variant"), one(q, "provider"), one(q, "model"), st,
                one(q, "origin"), one(q, "trace_id"), one(q, "q"), metadata, minLatency,
                limit == null ? CallLogFilter.DEFAULT_LIMIT : limit.intValue(), one(q, "cursor"));
    }

    /** The aggregation of a {@code /v1/stats} request; by default the last 24 hours by deployment and hour. */
    static CallStatsQuery stats(Map<String, List<String>> q, Instant now) {
        for (String name : q.keySet()) {
            if (!STATS_PARAMS.contains(name)) {
                throw GatewayException.badRequest(name, "unknown parameter '" + name + "' (known: " + STATS_PARAMS + ")");
            }
        }
        CallStatsQuery.GroupBy groupBy = CallStatsQuery.GroupBy.DEPLOYMENT;
        CallStatsQuery.Bucket bucket = CallStatsQuery.Bucket.HOUR;
        try {
            if (one(q, "group_by") != null) {
                groupBy = CallStatsQuery.GroupBy.parse(one(q, "group_by"));
            }
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("group_by", e.getMessage());
        }
        try {
            if (one(q, "bucket") != null) {
                bucket = CallStatsQuery.Bucket.parse(one(q, "bucket"));
            }
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("bucket", e.getMessage());
        }
        Instant to = time(q, "to");
        Instant from = time(q, "from");
        to = to != null ? to : now;
        from = from != null ? from : to.minus(Duration.ofDays(1));
        try {
            return new CallStatsQuery(groupBy, bucket, from, to, one(q, "deployment"), one(q, "provider"), one(q, "model"));
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("from", e.getMessage());
        }
    }

    private static String one(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw GatewayException.badRequest(name, "give '" + name + "' once");
        }
        return v.get(0).isEmpty() ? null : v.get(0);
    }

    private static Instant time(Map<String, List<String>> q, String name) {
        String v = one(q, name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw GatewayException.badRequest(name, name + " must be an ISO-8601 time such as 2025-08-15T10:00:00Z, was '" + v + "'");
            }
        }
    }

    private static Long number(Map<String, List<String>> q, String name, long min, long max) {
        String v = one(q, name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw GatewayException.badRequest(name, name + " must be a whole number between " + min + " and " + max + ", was '" + v + "'");
    }
}
