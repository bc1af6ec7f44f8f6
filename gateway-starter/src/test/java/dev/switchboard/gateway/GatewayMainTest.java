package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line, without starting a server. */
class GatewayMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void hashKeyPrintsTheConfigLine() {
        assertThat(run("--hash-key", "abc")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void badArgumentsExit2WithUsage() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--bogus'").contains("usage:");
        assertThat(run("--port")).isEqualTo(2);
    }

    @Test
    void missingConfigFileExits1() {
        assertThat(run("--config", "/no/such/switchboard.yaml")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not found");
    }

    @Test
    void nonLoopbackHostWithoutKeysExits1() {
        assertThat(run("--host", "0.0.0.0", "--port", "0")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gateway.keys");
    }

    @Test
    void embeddedDefaultParses() {
        assertThat(GatewayOptions.builder().build().usesEmbeddedDefault()).isTrue();
        try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().port(0).build())) {
            assertThat(gw.switchboard().config().deployments()).containsKey("hello");
            assertThat(gw.baseUrl()).startsWith("http://127.0.0.1:");
        }
    }
}
