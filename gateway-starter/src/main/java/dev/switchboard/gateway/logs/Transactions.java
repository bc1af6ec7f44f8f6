package dev.switchboard.gateway.logs;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work in one transaction. Stateless and thread-safe. */
final class Transactions {
    private Transactions() {
    }

    /** Work that commits what it wrote itself, and may then do more (in memory) before returning. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} with auto-commit off on {@code c}: what it did not commit is rolled back when it throws,
     * and the connection's auto-commit setting is restored either way.
     */
    static <T> T inOne(Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            return work.run();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
