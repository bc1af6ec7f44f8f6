package dev.switchboard.runtime.deploy;

import static dev.switchboard.runtime.deploy.DeployFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;

    private static String config(String content, String retry) {
        return """
                providers: { mock: { type: mock } }
                deployments:
                  greet:
                    messages: [ { role: user, content: "%s" } ]
                    retry: %s
                """.formatted(content, retry);
    }

    @Test
    void aValidEditTakesEffectAndAnInvalidOneIsRejectedWhileThePreviousKeepsServing() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, config("first {{name}}", "1"));
        try (Switchboard sb = ManagedConfigTest.builder().config(file).watchConfig(true).build()) {
            Greeter g = sb.create(Greeter.class);
            ManagedConfig managed = sb.managedConfig().orElseThrow();
            Instant started = managed.status().lastSuccess();
            assertThat(g.hi("Ada", null).content()).isEqualTo("first Ada");

            Files.writeString(file, config("second {{name}}", "1"));
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("second Ada"))).isTrue();
            assertThat(managed.status().lastSuccess()).isAfterOrEqualTo(started);
            String good = sb.config().version();

            Files.writeString(file, config("third {{name}}", "{ count: 99 }"));
            assertThat(eventually(WAIT, () -> managed.status().lastError() != null)).isTrue();
            assertThat(managed.status().lastError()).contains(file.toString())
                    .contains("deployments.greet.retry.count").contains("must be between 0 and 20, was 99");
            assertThat(g.hi("Ada", null).content()).isEqualTo("second Ada");
            assertThat(sb.config().version()).isEqualTo(good);
            assertThat(managed.status().version()).isEqualTo(good);

            // Editors that save by writing a new file and renaming it over the old one are seen too.
            Path tmp = dir.resolve(".switchboard.yaml.swp");
            Files.writeString(tmp, config("fourth {{name}}", "2"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("fourth Ada"))).isTrue();
            assertThat(eventually(WAIT, () -> managed.status().lastError() == null)).isTrue();
            assertThat(managed.status().state()).isEqualTo("ok");
        }
    }

    @Test
    void aDeletedFileIsAnErrorUntilItComesBack() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, config("here {{name}}", "0"));
        try (Switchboard sb = ManagedConfigTest.builder().config(file).watchConfig(true).build()) {
            Greeter g = sb.create(Greeter.class);
            ManagedConfig managed = sb.managedConfig().orElseThrow();
            Files.delete(file);
            assertThat(eventually(WAIT, () -> managed.status().lastError() != null)).isTrue();
            assertThat(managed.status().lastError()).contains("file not found");
            assertThat(g.hi("Ada", null).content()).isEqualTo("here Ada");
            Files.writeString(file, config("back {{name}}", "0"));
            assertThat(eventually(WAIT, () -> g.hi("Ada", null).content().equals("back Ada"))).isTrue();
            assertThat(managed.status().lastError()).isNull();
        }
    }
}
