package dev.switchboard.gateway.logs;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CallLogStatistics} in SQL: one {@code GROUP BY} over the range, percentiles with
 * {@code PERCENTILE_CONT … WITHIN GROUP} (PostgreSQL and H2 2.x both have it), UTC buckets with
 * {@code date_trunc}. Stateless and thread-safe.
 */
final class CallLogStatsSql {
    private CallLogStatsSql() {
    }

    static List<CallStatsRow> stats(Connection c, CallLogDialect dialect, CallStatsQuery q) throws SQLException {
        String group = q.groupBy().column();
        String bucket = dialect.bucket(q.bucket().unit(), "started_at");
        CallLogSearch.Where w = CallLogSearch.where(q.filter());
        String sql = "SELECT " + group + ", " + bucket + ", COUNT(*),"
                + " SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),"
                + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY latency_ms),"
                + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY latency_ms),"
                + " PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY latency_ms),"
                + " SUM(input_tokens), SUM(output_tokens), SUM(cost_usd)"
                + " FROM sb_calls" + w.sql()
                + " GROUP BY " + group + ", " + bucket
                + " ORDER BY 2, 1";
        List<CallStatsRow> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            w.bind(p);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    BigDecimal cost = rs.getBigDecimal(10);
                    out.add(new CallStatsRow(rs.getString(1), CallLogSearch.instant(rs.getObject(2)), rs.getLong(3), rs.getLong(4),
                            rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getLong(8), rs.getLong(9),
                            cost == null ? BigDecimal.ZERO : cost.stripTrailingZeros()));
                }
            }
        }
        return out;
    }
}
