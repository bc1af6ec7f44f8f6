package dev.switchboard.gateway;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Call-log databases for tests: a fresh SQLite file (the gateway's default store) under the build directory's
 * {@code test-call-logs/} folder, which the gateway creates and {@code mvn clean} removes.
 */
public final class TestCallLogs {
    private TestCallLogs() {
    }

    /** The JDBC URL of a new SQLite database file named {@code prefix-<uuid>.db}. */
    public static String sqliteUrl(String prefix) {
        Path dir = Path.of(System.getProperty("project.build.directory", "target"), "test-call-logs");
        return "jdbc:sqlite:" + dir.resolve(prefix + "-" + UUID.randomUUID() + ".db").toAbsolutePath().toString().replace('\\', '/');
    }
}
