package dev.switchboard.gateway.logs;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The call-log store on H2 (the gateway's embedded default), in memory. */
class LogStoreH2Test extends LogStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    DataSource freshDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:call_log_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
