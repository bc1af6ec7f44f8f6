package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.eventually;
import static dev.switchboard.runtime.deploy.DeployFixtures.greeting;
import static dev.switchboard.runtime.deploy.DeployFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteConfigSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "sk-app-key";
    private static final String LOCAL = "providers: { mock: { type: mock } }\n";
    @TempDir
    Path dir;

    private Switchboard app(ExportStub stub, Path lkg) {
        return ManagedConfigTest.builder().configYaml(LOCAL).remoteConfig(stub.uri(), KEY, lkg, Duration.ofMillis(200)).build();
    }

    @Test
    void followsTheGatewayWithConditionalRequestsAndKeepsALastKnownGoodCopy() throws Exception {
        Path lkg = dir.resolve("cache").resolve("lkg.json");
        try (ExportStub stub = new ExportStub(0, KEY)) {
            stub.publish("greet", greeting("remote v1 {{name}}"));
            try (Switchboard app = app(stub, lkg)) {
                Greeter g = app.create(Greeter.class);
                assertThat(g.hi("Ada", null).content()).isEqualTo("remote v1 Ada");
                assertThat(g.hi("Ada", null).version()).isEqualTo("v1");
                assertThat(Files.readString(lkg)).contains("remote v1 {{name}}").contains("\"etag\"").doesNotContain("mock: {");
                assertThat(eventually(WAIT, () -> stub.notModified.get() >= 2)).isTrue();

                stub.publish("greet", greeting("remote v2 {{name}}"));
                assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("remote v2 Ada"))).isTrue();
                assertThat(g.hi("Ada", null).version()).isEqualTo("v2");
                assertThat(eventually(WAIT, () -> readQuietly(lkg).contains("remote v2"))).isTrue();
                assertThat(app.managedConfig().orElseThrow().status().state()).isEqualTo("ok");
            }
        }
    }

    @Test
    void keepsServingWhenTheGatewayStopsAndRestartsFromTheLastKnownGoodCopy() throws Exception {
        Path lkg = dir.resolve("lkg.json");
        ExportStub stub = new ExportStub(0, KEY);
        int port = stub.port();
        stub.publish("greet", greeting("kept {{name}}"));
        try (Switchboard app = app(stub, lkg)) {
            Greeter g = app.create(Greeter.class);
            assertThat(g.hi("Ada", null).content()).isEqualTo("kept Ada");
            stub.close();
            ManagedConfig managed = app.managedConfig().orElseThrow();
            assertThat(eventually(WAIT, () -> !managed.status().sourceProblems().isEmpty())).isTrue();
            assertThat(managed.status().state()).isEqualTo("degraded");
            assertThat(managed.status().sourceProblems().values().iterator().next()).contains("/v2/deployments/export");
            assertThat(g.hi("Ada", null).content()).isEqualTo("kept Ada");
        }
        // The gateway is still down: a new start takes the last-known-good copy.
        try (Switchboard app = app(stub, lkg)) {
            Greeter g = app.create(Greeter.class);
            assertThat(g.hi("Ada", null).content()).isEqualTo("kept Ada");
            assertThat(g.hi("Ada", null).version()).isEqualTo("v1");
            RemoteConfigSource remote = (RemoteConfigSource) app.managedConfig().orElseThrow().sources().get(0);
            assertThat(remote.origin()).isEqualTo("cache file");
            // The gateway comes back with a newer version.
            try (ExportStub again = new ExportStub(port, KEY)) {
                again.publish("greet", greeting("old {{name}}"));
                again.publish("greet", greeting("back {{name}}"));
                assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("back Ada"))).isTrue();
                assertThat(remote.origin()).isEqualTo("gateway");
                assertThat(eventually(WAIT, () -> app.managedConfig().orElseThrow().status().healthy())).isTrue();
            }
        }
    }

    @Test
    void anExportThisApplicationCannotUseIsNotTaken() throws Exception {
        Path lkg = dir.resolve("lkg.json");
        try (ExportStub stub = new ExportStub(0, KEY)) {
            stub.publish("greet", greeting("good {{name}}"));
            try (Switchboard app = app(stub, lkg)) {
                Greeter g = app.create(Greeter.class);
                stub.publish("greet", yaml("model: azure-only/gpt-4o\nmessages: [ { role: user, content: bad } ]"));
                ManagedConfig managed = app.managedConfig().orElseThrow();
                assertThat(eventually(WAIT, () -> !managed.status().sourceProblems().isEmpty())).isTrue();
                assertThat(managed.status().sourceProblems().values().iterator().next())
                        .contains("deployment 'greet'").contains("provider 'azure-only' is not defined");
                assertThat(g.hi("Ada", null).content()).isEqualTo("good Ada");
                assertThat(Files.readString(lkg)).contains("good {{name}}").doesNotContain("azure-only");
            }
        }
    }

    @Test
    void withNoGatewayAndNoCopyTheAnnotationDefaultsServe() throws Exception {
        ExportStub stub = new ExportStub(0, KEY);
        stub.close();
        try (Switchboard app = app(stub, dir.resolve("none.json"))) {
            assertThat(app.create(Greeter.class).hi("Ada", null).content()).isEqualTo("code Ada");
            assertThat(app.managedConfig().orElseThrow().status().state()).isEqualTo("degraded");
        }
    }

    @Test
    void aWrongKeyIsReportedAndTheSourceCanBeUsedAsAPlainLayer() throws Exception {
        try (ExportStub stub = new ExportStub(0, KEY)) {
            stub.publish("greet", greeting("layer {{name}}"));
            try (RemoteConfigSource wrong = RemoteConfigSource.builder(stub.uri()).apiKey("nope").build()) {
                assertThat(wrong.problem()).contains("answered 401");
                assertThat(wrong.list()).isEmpty();
            }
            try (RemoteConfigSource src = RemoteConfigSource.builder(stub.uri()).apiKey(KEY)
                    .validator(DefinitionValidator.against(() -> Set.of("mock"))).build();
                 Switchboard app = ManagedConfigTest.builder().configYaml(LOCAL).configSource(src).build()) {
                assertThat(app.create(Greeter.class).hi("Ada", null).content()).isEqualTo("layer Ada");
                assertThat(src.load().orElseThrow().at("/deployments/greet/model").asText()).isEqualTo("mock/echo-1");
            }
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
