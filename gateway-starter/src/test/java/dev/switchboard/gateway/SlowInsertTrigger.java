package dev.switchboard.gateway;

import java.sql.Connection;
import org.h2.api.Trigger;

/** An H2 trigger that makes every insert into the calls table take 300 ms: a slow call-log database. */
public final class SlowInsertTrigger implements Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
