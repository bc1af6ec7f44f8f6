package dev.switchboard.gateway.logs;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/** Feedback and ingestion in the call-log store on SQLite, a database file per test. */
class FeedbackStoreSqliteTest extends FeedbackStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    @TempDir
    Path dir;

    @Override
    DataSource freshDatabase() {
        return LogStoreSqliteTest.sqlite(dir.resolve("feedback-" + DATABASES.incrementAndGet() + ".db"));
    }
}
