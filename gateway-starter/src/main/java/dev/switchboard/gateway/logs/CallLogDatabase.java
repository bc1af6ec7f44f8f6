package dev.switchboard.gateway.logs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.api.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the call-log database of {@link CallLogSettings}: a small HikariCP pool (the writer, queries and
 * retention share it) and a {@link JdbcCallLogStore} that closes it. For an H2 file URL the parent folder is
 * created. The pool is created without connecting ({@code initializationFailTimeout = -1}), so a database that
 * is down at start delays nothing: writes fail (retried, then dropped and counted) and queries answer 503 until
 * it is up. Stateless and thread-safe.
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
        createH2Folder(s.url(), source);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(s.url());
        hc.setUsername(s.user());
        hc.setPassword(s.password());
        hc.setMaximumPoolSize(s.poolSize());
        hc.setMinimumIdle(1);
        hc.setPoolName("sb-call-log");
        hc.setConnectionTimeout(2_000);
        hc.setInitializationFailTimeout(-1);
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

    private static void createH2Folder(String url, String source) {
        String prefix = "jdbc:h2:file:";
        if (!url.startsWith(prefix)) {
            return;
        }
        String file = url.substring(prefix.length());
        int semi = file.indexOf(';');
        file = semi < 0 ? file : file.substring(0, semi);
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigException(source, "gateway.call_log.url", "cannot create the folder " + parent + ": " + e.getMessage());
        }
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
