package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.eventually;
import static dev.switchboard.runtime.deploy.DeployFixtures.greeting;
import static dev.switchboard.runtime.deploy.DeployFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Completion;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.engine.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;

    static Switchboard.Builder builder() {
        return Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties());
    }

    private FileDeploymentStore store(Set<String> providers) {
        return FileDeploymentStore.builder(dir.resolve("store")).validator(DefinitionValidator.against(() -> providers))
                .pollInterval(Duration.ofMillis(100)).build();
    }

    @Test
    void theStoreWinsOverTheFilesAndEveryCallSaysWhichVersionAnswered() {
        try (FileDeploymentStore store = store(Set.of("mock"));
             Switchboard sb = builder().configYaml("""
                     providers: { mock: { type: mock } }
                     deployments:
                       greet: { messages: [ { role: user, content: "file {{name}}" } ] }
                       other: { model: mock/x }
                     """).deploymentStore(store).build()) {
            Greeter g = sb.create(Greeter.class);
            Completion<String> fromFile = g.hi("Ada", null);
            assertThat(fromFile.content()).isEqualTo("file Ada");
            assertThat(fromFile.version()).hasSize(12); // a content hash: not from the store

            store.publish("greet", greeting("store {{name}}"), "alice", "from the store");
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("store Ada"))).isTrue();
            assertThat(g.hi("Ada", null).version()).isEqualTo("v1");
            assertThat(sb.config().deployments().get("greet").version()).isEqualTo("v1");
            assertThat(sb.config().deployments().get("other").version()).hasSize(12);

            store.publish("greet", yaml("""
                    default_variant: main
                    variants:
                      main: { model: mock/echo-1, messages: [ { role: user, content: "main {{name}}" } ] }
                      pro:  { model: mock/echo-1, messages: [ { role: user, content: "pro {{name}}" } ] }
                    routing:
                      - { when: { plan: pro }, variant: pro }
                    """), "bob", "routing by plan");
            assertThat(eventually(WAIT, () -> "v2".equals(g.hi("Ada", null).version()))).isTrue();
            assertThat(g.hi("Ada", "pro").content()).isEqualTo("pro Ada");
            assertThat(g.hi("Ada", "pro").variant()).isEqualTo("pro");
            assertThat(g.hi("Ada", "free").content()).isEqualTo("main Ada");

            store.rollback("greet", 1, "carol");
            assertThat(eventually(WAIT, () -> "v3".equals(g.hi("Ada", null).version()))).isTrue();
            assertThat(g.hi("Ada", "pro").content()).isEqualTo("store Ada");
            ConfigStatus status = sb.managedConfig().orElseThrow().status();
            assertThat(status.healthy()).isTrue();
            assertThat(status.deployments()).containsEntry("greet", "v3");
            assertThat(status.version()).isEqualTo(sb.config().version());
        }
    }

    @Test
    void providersAreRebuiltOnlyWhenTheProvidersSectionChanges() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "providers: { mock: { type: mock } }\n");
        try (FileDeploymentStore store = store(Set.of("mock", "echo"));
             Switchboard sb = builder().config(file).watchConfig(true).deploymentStore(store).build()) {
            Greeter g = sb.create(Greeter.class);
            ProviderRegistry first = sb.engine().providers();
            store.publish("greet", greeting("one {{name}}"), "a", "");
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("one Ada"))).isTrue();
            assertThat(sb.engine().providers()).isSameAs(first);

            Files.writeString(file, "providers: { mock: { type: mock, prefix: 'echo: ' }, echo: { type: mock } }\n");
            assertThat(eventually(WAIT, () -> sb.engine().providers() != first)).isTrue();
            assertThat(g.hi("Ada", null).content()).isEqualTo("echo: one Ada");
            assertThat(sb.engine().providers().names()).containsExactly("mock", "echo");
        }
    }

    @Test
    void aStoredDefinitionThatNoLongerFitsIsAnErrorAndThePreviousConfigurationKeepsServing() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "providers: { mock: { type: mock }, other: { type: mock, prefix: 'other: ' } }\n");
        try (FileDeploymentStore store = store(Set.of("mock", "other"));
             Switchboard sb = builder().config(file).watchConfig(true).deploymentStore(store).build()) {
            Greeter g = sb.create(Greeter.class);
            store.publish("greet", yaml("model: other/m\nmessages: [ { role: user, content: \"hi {{name}}\" } ]"), "a", "");
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("other: hi Ada"))).isTrue();

            Files.writeString(file, "providers: { mock: { type: mock } }\n"); // removes the provider v1 uses
            ManagedConfig managed = sb.managedConfig().orElseThrow();
            assertThat(eventually(WAIT, () -> managed.status().lastError() != null)).isTrue();
            assertThat(managed.status().state()).isEqualTo("error");
            assertThat(managed.status().lastError()).contains("deployment 'greet' v1").contains("model")
                    .contains("provider 'other' is not defined");
            assertThat(g.hi("Ada", null).content()).isEqualTo("other: hi Ada");
            assertThat(g.hi("Ada", null).version()).isEqualTo("v1");
        }
    }
}
