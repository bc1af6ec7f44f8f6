package dev.switchboard.runtime.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Creates and migrates the tables of {@link JdbcDeploymentStore} in PostgreSQL. Migrations are numbered,
 * applied in order inside one transaction under a transaction-scoped advisory lock (so gateways starting
 * together do not race), and recorded in {@code sb_schema_migrations} under the component
 * {@value #COMPONENT}. Stateless and thread-safe.
 */
final class JdbcSchema {
    static final String COMPONENT = "deployments";
    static final String TABLE = "sb_deployment_versions";
    private static final long LOCK_ID = 0x5B_DE_91_01L;
    private static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE " + TABLE + " ("
                    + " id BIGSERIAL PRIMARY KEY,"
                    + " deployment_key VARCHAR(200) NOT NULL,"
                    + " version INTEGER NOT NULL CHECK (version > 0),"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " author VARCHAR(200) NOT NULL,"
                    + " message TEXT NOT NULL,"
                    + " definition TEXT NOT NULL,"
                    + " CONSTRAINT sb_deployment_versions_key_version UNIQUE (deployment_key, version))");

    private JdbcSchema() {
    }

    /** Applies the migrations not applied yet; returns how many were applied. */
    static int migrate(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
                    s.execute("CREATE TABLE IF NOT EXISTS sb_schema_migrations (component VARCHAR(100) NOT NULL,"
                            + " version INTEGER NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                            + " PRIMARY KEY (component, version))");
                }
                Set<Integer> applied = new HashSet<>();
                try (PreparedStatement q = c.prepareStatement("SELECT version FROM sb_schema_migrations WHERE component = ?")) {
                    q.setString(1, COMPONENT);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            applied.add(rs.getInt(1));
                        }
                    }
                }
                int count = 0;
                for (int i = 0; i < MIGRATIONS.size(); i++) {
                    if (!applied.contains(i + 1)) {
                        try (Statement s = c.createStatement();
                             PreparedStatement rec = c.prepareStatement("INSERT INTO sb_schema_migrations (component, version) VALUES (?, ?)")) {
                            s.execute(MIGRATIONS.get(i));
                            rec.setString(1, COMPONENT);
                            rec.setInt(2, i + 1);
                            rec.executeUpdate();
                        }
                        count++;
                    }
                }
                c.commit();
                return count;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
