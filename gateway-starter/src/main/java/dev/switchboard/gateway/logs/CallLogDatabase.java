package dev.switchboard.gateway.logs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.api.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens the call-log database of {@link CallLogSettings}: a small HikariCP pool (the writer, queries and
 * retention share it) and a {@link JdbcCallLogStore} that closes it. For a SQLite or H2 file URL the parent folder
 * is created. SQLite connections are opened in WAL mode (readers do not wait for the writer) with
 * {@code synchronous=NORMAL} (a commit is durable once the WAL is checkpointed; a power cut may lose the last
 * batches, never corrupt the file), immediate transactions (a writing transaction takes the write lock at its start,
 * so two writers queue on the busy timeout instead of failing) and a 10-second busy timeout; a new file is created
 * with 64 KB pages ({@link #createSqlite}). The pool is created
 * without connecting ({@code initializationFailTimeout = -1}), so a database that is down at start delays nothing:
 * writes fail (retried, then dropped and counted) and queries answer 503 until it is up. Stateless and thread-safe.
 */
public final class CallLogDatabase {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallLogDatabase.class);

    private CallLogDatabase() {
    }

    /**
     * The store of {@code s}.
     *
     * @throws ConfigException when the H2 folder cannot be created
     */
    public static JdbcCallLogStore open(CallLogSettings s, String source) {
        Path file = createFolder(s.url(), source);
        if (file != null && s.url().startsWith(SQLITE)) {
            createSqlite(s.url(), file);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(s.url());
        hc.setUsername(s.user());
        hc.setPassword(s.password());
        hc.setMaximumPoolSize(s.poolSize());
        hc.setMinimumIdle(1);
        hc.setPoolName("sb-call-log");
        hc.setConnectionTimeout(2_000);
        hc.setInitializationFailTimeout(-1);
        if (s.url().startsWith(SQLITE)) {
            hc.setDataSourceProperties(sqliteSettings());
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            JdbcCallLogStore store = JdbcCallLogStore.builder(ds).retention(s.retention()).closing(ds).build();
            LOG.info("call log: {} ({}), retention {}", redactUrl(s.url()), store.dialect() == null ? "not reachable yet" : store.dialect(),
                    s.retention() == null ? "off" : human(s.retention()));
            return store;
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static final String SQLITE = "jdbc:sqlite:";

    /**
     * The connection settings of a SQLite call log (driver properties, which the driver applies as pragmas): WAL
     * mode, {@code synchronous=NORMAL}, immediate transactions, a 10-second busy timeout.
     */
    static Properties sqliteSettings() {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("transaction_mode", "IMMEDIATE");
        p.setProperty("busy_timeout", "10000");
        return p;
    }

    /** SQLite's page size for a new call log file (see {@link #createSqlite}). */
    static final int SQLITE_PAGE_SIZE = 64 * 1024;

    /**
     * Creates a new SQLite call log file with {@value #SQLITE_PAGE_SIZE}-byte pages, in WAL mode (a file that exists is
     * left as it is). The log stores its calls as blocks of compressed records, tens to hundreds of kilobytes each:
     * with SQLite's default 4 KB pages each block is a chain of dozens of overflow pages, and each page committed is
     * two writes to the WAL, so bigger pages make a commit a few system calls instead of a few hundred, and a block
     * read a few pages. A page size can only be set before a file's first table (and not in WAL mode), so it is done
     * here, before the pool's connections open it; a file that cannot be created here is left to the pool, which
     * reports why.
     */
    static void createSqlite(String url, Path file) {
        try {
            if (Files.size(file) > 0) {
                return;
            }
        } catch (IOException absent) {
            // created below
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
            st.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            LOG.debug("could not create the SQLite call log {} ahead of the pool: {}", file, e.getMessage());
        }
    }

    /** The file of a SQLite or H2 file URL, its folder created; null for other URLs (and in-memory databases). */
    private static Path createFolder(String url, String source) {
        String file;
        if (url.startsWith("jdbc:h2:file:")) {
            file = url.substring("jdbc:h2:file:".length());
            int semi = file.indexOf(';');
            file = semi < 0 ? file : file.substring(0, semi);
        } else if (url.startsWith(SQLITE) && !url.startsWith(SQLITE + ":") && !url.startsWith(SQLITE + "file::memory:")) {
            file = url.substring(SQLITE.length());
            int query = file.indexOf('?');
            file = query < 0 ? file : file.substring(0, query);
            file = file.startsWith("file:") ? file.substring("file:".length()) : file;
            if (file.isEmpty()) {
                return null;
            }
        } else {
            return null;
        }
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        Path path = Path.of(file).toAbsolutePath();
        Path parent = path.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigException(source, "gateway.call_log.url", "cannot create the folder " + parent + ": " + e.getMessage());
        }
        return path;
    }

    private static String human(java.time.Duration d) {
        long s = d.getSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** {@code url} without a {@code password=} parameter's value. */
    static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }
}
