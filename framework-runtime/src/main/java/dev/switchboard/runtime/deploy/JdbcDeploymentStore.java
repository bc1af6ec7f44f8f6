package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link DeploymentStore} in PostgreSQL, shared by several gateways. One row per version in
 * {@code sb_deployment_versions}, with a unique {@code (deployment_key, version)} constraint: when two gateways
 * publish the same deployment at once, one insert fails on the constraint and is retried with the next number,
 * so no number is ever taken twice. The schema is created or migrated when the store is built. Every
 * {@code pollInterval} (1 s by default) the store checks the row count and calls its listeners when it changed,
 * so every gateway serves a version published on another within seconds.
 *
 * <pre>{@code
 * HikariDataSource ds = new HikariDataSource(hikariConfig);   // any DataSource; a pool is advised
 * JdbcDeploymentStore store = JdbcDeploymentStore.builder(ds).validator(validator).build();
 * }</pre>
 *
 * <p>Plain JDBC; {@link #close()} stops the polling and closes what was given to {@link Builder#closing} (the
 * caller's pool, for example), never the {@link DataSource} otherwise. Thread-safe.
 */
public final class JdbcDeploymentStore implements DeploymentStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "deployment_key, version, created_at, author, message, definition";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_PUBLISH_TRIES = 20;
    private final DataSource ds;
    private final DefinitionValidator validator;
    private final ChangeListeners listeners = new ChangeListeners();
    private final Poller poller;
    private final AutoCloseable resource;
    private volatile String problem;

    private JdbcDeploymentStore(Builder b) throws SQLException {
        this.ds = b.ds;
        this.validator = b.validator;
        this.resource = b.resource;
        JdbcSchema.migrate(ds);
        this.poller = new Poller("sb-deployments-jdbc", b.pollInterval, this::fingerprint, listeners::fire, p -> problem = p);
    }

    /** A builder over {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public String name() {
        return "jdbc:" + JdbcSchema.TABLE;
    }

    @Override
    public List<DeploymentVersion> list() {
        return query("SELECT v.deployment_key, v.version, v.created_at, v.author, v.message, v.definition FROM " + JdbcSchema.TABLE
                + " v JOIN (SELECT deployment_key, MAX(version) AS version FROM " + JdbcSchema.TABLE + " GROUP BY deployment_key) m"
                + " ON v.deployment_key = m.deployment_key AND v.version = m.version ORDER BY v.deployment_key");
    }

    @Override
    public List<DeploymentVersion> history(String key) {
        DeploymentDefinitions.checkKey(key);
        return query("SELECT " + COLUMNS + " FROM " + JdbcSchema.TABLE + " WHERE deployment_key = ? ORDER BY version", key);
    }

    @Override
    public Optional<DeploymentVersion> version(String key, int number) {
        DeploymentDefinitions.checkKey(key);
        return query("SELECT " + COLUMNS + " FROM " + JdbcSchema.TABLE + " WHERE deployment_key = ? AND version = ?", key, number)
                .stream().findFirst();
    }

    @Override
    public Optional<DeploymentVersion> current(String key) {
        DeploymentDefinitions.checkKey(key);
        return query("SELECT " + COLUMNS + " FROM " + JdbcSchema.TABLE + " WHERE deployment_key = ? ORDER BY version DESC LIMIT 1", key)
                .stream().findFirst();
    }

    @Override
    public DeploymentVersion publish(String key, ObjectNode definition, String author, String message) {
        DeploymentDefinitions.checkKey(key);
        Objects.requireNonNull(definition, "definition");
        validator.check(key, definition);
        String json;
        try {
            json = JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the definition", e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                DeploymentVersion v = insertNext(key, definition, json, author, message);
                listeners.fire();
                return v;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt >= MAX_PUBLISH_TRIES) {
                    throw new DeploymentStoreException("cannot publish deployment '" + key + "': " + e.getMessage(), e);
                }
                // Another publisher took this number between our read and our insert: read again and retry.
            }
        }
    }

    private DeploymentVersion insertNext(String key, ObjectNode definition, String json, String author, String message) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int next;
                try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM " + JdbcSchema.TABLE + " WHERE deployment_key = ?")) {
                    q.setString(1, key);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        next = rs.getInt(1) + 1;
                    }
                }
                DeploymentVersion v = DeploymentVersion.builder(key, next).author(author).message(message).definition(definition).build();
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + JdbcSchema.TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    ins.setString(1, key);
                    ins.setInt(2, next);
                    ins.setObject(3, OffsetDateTime.ofInstant(v.createdAt(), ZoneOffset.UTC));
                    ins.setString(4, v.author());
                    ins.setString(5, v.message());
                    ins.setString(6, json);
                    ins.executeUpdate();
                }
                c.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Runnable listener) {
        return listeners.add(listener);
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        poller.close();
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(JdbcDeploymentStore.class).warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }

    /** The row count and highest id: rows are never deleted, so the count grows with every publish. */
    private String fingerprint() {
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM " + JdbcSchema.TABLE);
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getLong(2);
        } catch (SQLException e) {
            throw new DeploymentStoreException(e.getMessage(), e);
        }
    }

    private List<DeploymentVersion> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            List<DeploymentVersion> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeploymentStoreException("cannot read deployments: " + e.getMessage(), e);
        }
    }

    private static DeploymentVersion row(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        JsonNode def;
        try {
            def = JSON.readTree(rs.getString(6));
        } catch (JsonProcessingException e) {
            throw new DeploymentStoreException("deployment '" + key + "' version " + rs.getInt(2) + ": the stored definition is not JSON", e);
        }
        if (!(def instanceof ObjectNode obj)) {
            throw new DeploymentStoreException("deployment '" + key + "' version " + rs.getInt(2) + ": the stored definition is not an object", null);
        }
        return DeploymentVersion.builder(key, rs.getInt(2)).createdAt(rs.getObject(3, OffsetDateTime.class).toInstant())
                .author(rs.getString(4)).message(rs.getString(5)).definition(obj).build();
    }

    /** Builds a {@link JdbcDeploymentStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource ds;
        private DefinitionValidator validator = DefinitionValidator.structure();
        private Duration pollInterval = Duration.ofSeconds(1);
        private AutoCloseable resource;

        private Builder(DataSource ds) {
            this.ds = Objects.requireNonNull(ds, "dataSource");
        }

        /** How definitions are checked before they are stored (default {@link DefinitionValidator#structure()}). */
        public Builder validator(DefinitionValidator v) {
            validator = Objects.requireNonNull(v, "validator");
            return this;
        }

        /** How often the table is checked for other gateways' publishes (default 1 s). */
        public Builder pollInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
            pollInterval = d;
            return this;
        }

        /** Something {@link JdbcDeploymentStore#close()} closes too, typically the connection pool behind the data source. */
        public Builder closing(AutoCloseable r) {
            resource = r;
            return this;
        }

        /** Creates or migrates the schema and starts polling. @throws DeploymentStoreException when the database cannot be used */
        public JdbcDeploymentStore build() {
            try {
                return new JdbcDeploymentStore(this);
            } catch (SQLException e) {
                throw new DeploymentStoreException("cannot prepare the deployment tables: " + e.getMessage(), e);
            }
        }
    }
}
