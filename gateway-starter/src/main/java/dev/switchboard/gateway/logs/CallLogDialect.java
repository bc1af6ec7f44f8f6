package dev.switchboard.gateway.logs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SQL differences between the databases {@link JdbcCallLogStore} supports: column types, the idempotent
 * insert, row limits, row locks, timestamps and substring tests. Everything else is written once in SQL that
 * SQLite, H2 2.x and PostgreSQL all accept. Immutable and thread-safe.
 *
 * <p>On SQLite a timestamp column holds epoch microseconds ({@code INTEGER}) and a decimal its exact text
 * ({@code TEXT}: SQLite's numeric affinity would round it to a double); see {@link #ddl} and {@link #bindTime}.
 */
public enum CallLogDialect {
    /**
     * SQLite 3.24 or newer (the embedded default: a database file; the engine is native code, so a write costs the
     * gateway's JVM little CPU and garbage). Open it in WAL mode with immediate transactions, see {@link CallLogDatabase}.
     */
    SQLITE("TEXT", "TEXT", "BLOB"),
    /** H2 2.x (an embedded database file, in Java); its VARCHAR holds up to 10^9 characters, so no LOBs. */
    H2("VARCHAR", "VARCHAR", "VARBINARY"),
    /** PostgreSQL 12 or newer. */
    POSTGRESQL("TEXT", "TEXT", "BYTEA");

    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\(\\d+, \\d+\\)");
    private final String stringType;
    private final String textType;
    private final String bytesType;

    CallLogDialect(String stringType, String textType, String bytesType) {
        this.stringType = stringType;
        this.textType = textType;
        this.bytesType = bytesType;
    }

    /**
     * The dialect of the database {@code c} is connected to.
     *
     * @throws SQLException when it is not SQLite, H2 or PostgreSQL
     */
    public static CallLogDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("the call log supports SQLite, H2 and PostgreSQL, not " + c.getMetaData().getDatabaseProductName());
    }

    /**
     * {@code ddl} with {@code {STR}} (an indexed or short string), {@code {TEXT}} (a long text), {@code {BYTES}} (a
     * byte string of any length) and {@code {ID}} (a 64-bit key, on SQLite the rowid) replaced; on SQLite
     * also {@code TIMESTAMP WITH TIME ZONE} by {@code INTEGER} (epoch microseconds) and {@code DECIMAL(p, s)} by
     * {@code TEXT}.
     */
    String ddl(String ddl) {
        String out = ddl.replace("{STR}", stringType).replace("{TEXT}", textType).replace("{BYTES}", bytesType)
                .replace("{ID}", this == SQLITE ? "INTEGER" : "BIGINT"); // SQLite: the rowid itself
        if (this == SQLITE) {
            out = DECIMAL.matcher(out.replace("TIMESTAMP WITH TIME ZONE", "INTEGER")).replaceAll("TEXT");
        }
        return out;
    }

    /**
     * Whether the database is embedded (SQLite, H2: a file in the gateway's process, sharing its CPU), where the
     * store writes a block per batch ({@link CallBlockTable}) instead of rows per call; PostgreSQL has its own CPU.
     */
    boolean embedded() {
        return this != POSTGRESQL;
    }

    /** The clause that keeps the first {@code n} rows of a query, with a leading space. */
    String fetchFirst(int n) {
        return this == SQLITE ? " LIMIT " + n : " FETCH FIRST " + n + " ROWS ONLY";
    }

    /**
     * The clause that locks the rows a query reads until commit, with a leading space; none on SQLite, whose
     * immediate transactions hold the database's one write lock from their start.
     */
    String forUpdate() {
        return this == SQLITE ? "" : " FOR UPDATE";
    }

    /** Binds an instant to a timestamp column: epoch microseconds on SQLite, a UTC timestamp elsewhere. */
    void bindTime(PreparedStatement p, int index, Instant t) throws SQLException {
        if (this == SQLITE) {
            p.setLong(index, CallIndexRows.micros(t));
        } else {
            p.setObject(index, CallLogRows.utc(t));
        }
    }

    /**
     * An insert of one row into {@code table} that does nothing when a row with the same {@code key} exists; its
     * update count is 1 when inserted and 0 when skipped. Parameters: the columns in order (on H2 the key
     * column's value comes first once more, see {@link #keyFirst()}).
     */
    String insertIfAbsent(String table, String key, String[] columns) {
        String cols = String.join(", ", columns);
        String marks = "?" + ", ?".repeat(columns.length - 1);
        if (this != H2) {
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
