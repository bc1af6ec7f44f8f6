package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.eventually;
import static dev.switchboard.runtime.deploy.DeployFixtures.greeting;
import static dev.switchboard.runtime.deploy.DeployFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeploymentStoreTest {
    @TempDir
    Path dir;

    private FileDeploymentStore store() {
        return FileDeploymentStore.builder(dir).validator(DefinitionValidator.against(() -> Set.of("mock")))
                .pollInterval(Duration.ofMillis(100)).build();
    }

    @Test
    void publishesConsecutiveImmutableVersionsAsFiles() throws Exception {
        try (FileDeploymentStore store = store()) {
            DeploymentVersion v1 = store.publish("support", greeting("Hi {{name}}"), "alice", "first");
            DeploymentVersion v2 = store.publish("support", greeting("Hello {{name}}"), "bob", "friendlier");
            store.publish("triage", greeting("Triage {{text}}"), "alice", "");
            assertThat(v1.label()).isEqualTo("v1");
            assertThat(v2.number()).isEqualTo(2);
            assertThat(store.history("support")).containsExactly(v1, v2);
            assertThat(store.version("support", 1)).contains(v1);
            assertThat(store.current("support")).contains(v2);
            assertThat(store.list()).extracting(DeploymentVersion::key, DeploymentVersion::label)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("support", "v2"), org.assertj.core.groups.Tuple.tuple("triage", "v1"));
            Path file = dir.resolve("support").resolve("v0002.yaml");
            String text = Files.readString(file);
            assertThat(text).startsWith("# Switchboard deployment 'support', version 2.")
                    .contains("author: bob").contains("message: friendlier").contains("content: \"Hello {{name}}\"");
            assertThat(store.history("unknown")).isEmpty();
            assertThat(store.version("support", 9)).isEmpty();
        }
        try (FileDeploymentStore reopened = store()) {
            assertThat(reopened.history("support")).hasSize(2);
            assertThat(reopened.current("support").orElseThrow().definition().at("/messages/0/content").asText()).isEqualTo("Hello {{name}}");
        }
    }

    @Test
    void rollbackPublishesACopyAndDiffComparesVersions() {
        try (FileDeploymentStore store = store()) {
            store.publish("support", greeting("one"), "alice", "");
            store.publish("support", yaml("model: mock/echo-2\nmessages: [ { role: user, content: two } ]"), "alice", "");
            DeploymentVersion v3 = store.rollback("support", 1, "carol");
            assertThat(v3.label()).isEqualTo("v3");
            assertThat(v3.author()).isEqualTo("carol");
            assertThat(v3.message()).isEqualTo("rollback to v1");
            assertThat(v3.definition()).isEqualTo(store.version("support", 1).orElseThrow().definition());
            assertThat(store.history("support")).hasSize(3);
            DefinitionDiff d = store.diff("support", 1, 2);
            assertThat(d.changes()).extracting(DefinitionDiff.Change::path).containsExactly("model", "messages[0].content");
            assertThat(store.diff("support", 1, 3).isEmpty()).isTrue();
            assertThatThrownBy(() -> store.rollback("support", 7, "x")).isInstanceOfSatisfying(DeploymentStoreException.class,
                    e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @Test
    void anInvalidDefinitionIsRefusedNamingTheFieldAndNothingIsStored() {
        try (FileDeploymentStore store = store()) {
            assertThatThrownBy(() -> store.publish("support", yaml("variants: { main: { model: nowhere/gpt } }"), "a", ""))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.source()).isEqualTo("deployment 'support'");
                        assertThat(e.path()).isEqualTo("variants.main.model");
                        assertThat(e.getMessage()).contains("provider 'nowhere' is not defined");
                    });
            assertThatThrownBy(() -> store.publish("support", yaml("model: mock/x\ntemperature: 2"), "a", ""))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo("temperature"));
            assertThatThrownBy(() -> store.publish("..", greeting("x"), "a", "")).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> store.publish("a/b", greeting("x"), "a", "")).isInstanceOf(ConfigException.class);
            assertThat(store.list()).isEmpty();
            assertThat(dir.resolve("support")).doesNotExist();
        }
    }

    @Test
    void concurrentPublishersOnTwoInstancesNeverShareANumber() throws Exception {
        try (FileDeploymentStore a = store(); FileDeploymentStore b = store()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DeploymentVersion>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                FileDeploymentStore s = i % 2 == 0 ? a : b;
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return s.publish("busy", greeting("call " + n), "t" + n, "");
                }));
            }
            go.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<DeploymentVersion> f : results) {
                numbers.add(f.get(30, TimeUnit.SECONDS).number());
            }
            pool.shutdown();
            assertThat(numbers).doesNotHaveDuplicates().hasSize(40);
            assertThat(a.history("busy")).extracting(DeploymentVersion::number).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
        }
    }

    @Test
    void versionsAddedByOthersAreNoticedByPolling() throws Exception {
        try (FileDeploymentStore store = store(); FileDeploymentStore other = store()) {
            AtomicInteger calls = new AtomicInteger();
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            store.subscribe(() -> {
                calls.incrementAndGet();
                seen.add(store.list().toString());
            });
            Thread.sleep(250); // let the poller take its baseline
            // A git pull writes a hand-made file without metadata.
            Files.createDirectories(dir.resolve("gitops"));
            Files.writeString(dir.resolve("gitops").resolve("v0001.yaml"), "definition:\n  model: mock/echo-1\n");
            assertThat(eventually(Duration.ofSeconds(10), () -> calls.get() > 0)).isTrue();
            DeploymentVersion v = store.current("gitops").orElseThrow();
            assertThat(v.author()).isEqualTo("file");
            assertThat(v.definition().get("model").asText()).isEqualTo("mock/echo-1");
            int before = calls.get();
            other.publish("support", greeting("x"), "b", "");
            assertThat(eventually(Duration.ofSeconds(10), () -> calls.get() > before)).isTrue();
        }
    }

    @Test
    void aBrokenVersionFileIsReportedWithItsPath() throws Exception {
        try (FileDeploymentStore store = store()) {
            Files.createDirectories(dir.resolve("bad"));
            Files.writeString(dir.resolve("bad").resolve("v0001.yaml"), "key: other\ndefinition: { model: mock/x }\n");
            assertThatThrownBy(store::list).isInstanceOf(DeploymentStoreException.class)
                    .hasMessageContaining("v0001.yaml").hasMessageContaining("key is 'other'");
        }
    }
}
