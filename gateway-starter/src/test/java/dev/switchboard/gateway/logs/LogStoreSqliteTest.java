package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.runtime.calllog.CallRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The call-log store contract on SQLite (the gateway's default), a database file per test. */
class LogStoreSqliteTest extends LogStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    @TempDir
    Path dir;

    @Override
    DataSource freshDatabase() {
        return sqlite(dir.resolve("call-log-" + DATABASES.incrementAndGet() + ".db"));
    }

    /** A SQLite file database with the settings {@link CallLogDatabase} gives its pool. */
    static DataSource sqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource(new SQLiteConfig(CallLogDatabase.sqliteSettings()));
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    @Test
    void theGatewaysDefaultSettingsOpenAFileInWalModeAndCreateItsFolder() throws Exception {
        Path file = dir.resolve("nested/folder/calls.db");
        CallLogSettings settings = CallLogSettings.from(new ObjectMapper().readTree(
                "{\"call_log\": {\"url\": \"jdbc:sqlite:" + file.toString().replace('\\', '/') + "\"}}"), "test.yaml");
        try (JdbcCallLogStore store = CallLogDatabase.open(settings, "test.yaml")) {
            assertThat(store.dialect()).isEqualTo(CallLogDialect.SQLITE);
            assertThat(Files.exists(file)).isTrue();
            List<CallRecord> records = CallLogWriteBenchmarkTest.records(0, 3, new Random(7));
            store.write(records);
            assertThat(store.find(records.get(1).id())).hasValueSatisfying(r -> assertThat(r.costUsd()).isEqualByComparingTo(records.get(1).costUsd()));
        }
        // a plain connection, which sets no journal mode: WAL is what the gateway's pool left in the file
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet mode = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
        assertThat(pageSize(file)).isEqualTo(CallLogDatabase.SQLITE_PAGE_SIZE);
    }

    @Test
    void aFileThatExistsKeepsItsPageSizeAndIsWrittenAsBefore() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE made_before (x)"); // a file with SQLite's default page size, not in WAL mode
        }
        CallLogSettings settings = CallLogSettings.from(new ObjectMapper().readTree(
                "{\"call_log\": {\"url\": \"jdbc:sqlite:" + file.toString().replace('\\', '/') + "\"}}"), "test.yaml");
        try (JdbcCallLogStore store = CallLogDatabase.open(settings, "test.yaml")) {
            List<CallRecord> records = CallLogWriteBenchmarkTest.records(0, 3, new Random(5));
            store.write(records);
            assertThat(store.find(records.get(2).id())).isPresent();
        }
        assertThat(pageSize(file)).isEqualTo(4096);
    }

    private static int pageSize(Path file) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA page_size")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    @Test
    void costsAreStoredExactlyAsText() throws Exception {
        DataSource ds = freshDatabase();
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            CallRecord r = CallLogWriteBenchmarkTest.records(0, 1, new Random(3)).get(0).toBuilder()
                    .costUsd(new BigDecimal("0.000000000123")).build();
            store.write(List.of(r));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cost_usd, typeof(cost_usd) FROM sb_call_stats")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("text");
            assertThat(new BigDecimal(rs.getString(1))).isEqualByComparingTo("0.000000000123");
        }
        try (JdbcCallLogStore store = JdbcCallLogStore.builder(ds).build()) {
            CallRecord r = store.search(dev.switchboard.runtime.calllog.CallLogFilter.all()).records().get(0);
            assertThat(r.costUsd()).isEqualByComparingTo("0.000000000123");
        }
    }
}
