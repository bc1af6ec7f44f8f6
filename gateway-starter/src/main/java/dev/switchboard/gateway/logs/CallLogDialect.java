package dev.switchboard.gateway.logs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL differences between the databases {@link JdbcCallLogStore} supports: column types, the idempotent
 * insert, and time buckets. Everything else is written once in standard SQL that H2 2.x and PostgreSQL both
 * accept. Immutable and thread-safe.
 */
public enum CallLogDialect {
    /** H2 2.x, the embedded default (a database file); its VARCHAR holds up to 10^9 characters, so no LOBs. */
    H2("VARCHAR", "VARCHAR"),
    /** PostgreSQL 12 or newer. */
    POSTGRESQL("TEXT", "TEXT");

    private final String stringType;
    private final String textType;

    CallLogDialect(String stringType, String textType) {
        this.stringType = stringType;
        this.textType = textType;
    }

    /**
     * The dialect of the database {@code c} is connected to.
     *
     * @throws SQLException when it is neither H2 nor PostgreSQL
     */
    public static CallLogDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("the call log supports H2 and PostgreSQL, not " + c.getMetaData().getDatabaseProductName());
    }

    /** {@code ddl} with {@code {STR}} (an indexed or short string) and {@code {TEXT}} (a long text) replaced. */
    String ddl(String ddl) {
        return ddl.replace("{STR}", stringType).replace("{TEXT}", textType);
    }

    /**
     * An insert of one row into {@code table} that does nothing when a row with the same {@code key} exists; its
     * update count is 1 when inserted and 0 when skipped. Parameters: the columns in order (on H2 the key
     * column's value comes first once more, see {@link #keyFirst()}).
     */
    String insertIfAbsent(String table, String key, String[] columns) {
        String cols = String.join(", ", columns);
        String marks = "?" + ", ?".repeat(columns.length - 1);
        if (this == POSTGRESQL) {
            return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT (" + key + ") DO NOTHING";
        }
        return "MERGE INTO " + table + " t USING (SELECT CAST(? AS VARCHAR) AS k) s ON t." + key + " = s.k"
                + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + marks + ")";
    }

    /** Whether {@link #insertIfAbsent} takes the key once before the columns. */
    boolean keyFirst() {
        return this == H2;
    }

    /** The start of the UTC time bucket {@code unit} ({@code minute}, {@code hour}, {@code day}) of {@code column}. */
    String bucket(String unit, String column) {
        return this == POSTGRESQL
                ? "date_trunc('" + unit + "', " + column + " AT TIME ZONE 'UTC')"
                : "DATE_TRUNC('" + unit.toUpperCase(Locale.ROOT) + "', " + column + " AT TIME ZONE 'UTC')";
    }
}
