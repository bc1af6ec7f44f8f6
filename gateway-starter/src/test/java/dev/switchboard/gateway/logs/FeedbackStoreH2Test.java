package dev.switchboard.gateway.logs;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Feedback and ingestion in the call-log store on H2, in memory. */
class FeedbackStoreH2Test extends FeedbackStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    DataSource freshDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:feedback_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
