package dev.switchboard.gateway.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigException;
import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every invalid key or value of the {@code gateway:} section stops the start-up with an error naming the
 * file, the key path and the problem (and never repeating a value that may be a secret).
 */
class GatewayConfigErrorsTest {
    private static final String PROVIDERS = "providers: { mock: { type: mock } }\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "gateway: { port: 70000 }                   | gateway.port: must be a whole number between 0 and 65535, found 70000",
        "gateway: { port: -1 }                      | gateway.port: must be a whole number between 0 and 65535",
        "gateway: { port: '8080' }                  | gateway.port: must be a whole number",
        "gateway: { port: 80.5 }                    | gateway.port: must be a whole number",
        "gateway: { host: '' }                      | gateway.host: must be a non-empty string",
        "gateway: { host: 5 }                       | gateway.host: must be a non-empty string",
        "gateway: { max_body_bytes: 10 }            | gateway.max_body_bytes: must be a whole number between 1024 and 2147483647, found 10",
        "gateway: { max_body_bytes: 1.5 }           | gateway.max_body_bytes: must be a whole number",
        "gateway: { max_body_bytes: 99999999999 }   | gateway.max_body_bytes: must be a whole number",
        "gateway: { max_body_bytes: 4MB }           | gateway.max_body_bytes: must be a whole number",
        "gateway: { drain_timeout: soon }           | gateway.drain_timeout: must be a duration such as 500ms, 20s or 2m, found",
        "gateway: { drain_timeout: -5s }            | gateway.drain_timeout: must be a duration",
        "gateway: { drain_timeout: -1 }             | gateway.drain_timeout: must be a duration",
        "gateway: { drain_timeout: [1] }            | gateway.drain_timeout: must be a duration",
        "gateway: { idle_timeout: 5 parsecs }       | gateway.idle_timeout: must be a duration",
        "gateway: { idle_timeout: 0 }               | gateway.idle_timeout: must be more than 0",
        "gateway: { read_timeout: 0s }              | gateway.read_timeout: must be more than 0",
        "gateway: { read_timeout: {a: 1} }          | gateway.read_timeout: must be a duration",
        "gateway: { keys: 'sha256:00' }             | gateway.keys: must be a list of sha256:<hex> key hashes",
        "gateway: { keys: [sk-plain-secret] }       | gateway.keys[0]: must be sha256:<64 hex digits>",
        "gateway: { keys: ['sha256:abc'] }          | gateway.keys[0]: must be sha256:<64 hex digits>",
        "gateway: { keys: [1] }                     | gateway.keys[0]: must be sha256:<64 hex digits>",
        "gateway: { admin_keys: [admin-plain] }     | gateway.admin_keys[0]: must be sha256:<64 hex digits>",
        "gateway: { admin_keys: {a: b} }            | gateway.admin_keys: must be a list",
        "gateway: { deployment_store: files }       | gateway.deployment_store: must be a mapping",
        "gateway: { deployment_store: { type: s3 } }  | gateway.deployment_store.type: must be files or jdbc, was 's3'",
        "gateway: { deployment_store: { type: files } } | gateway.deployment_store.dir: is required",
        "gateway: { deployment_store: { type: files, dir: x, bucket: y } } | gateway.deployment_store.bucket: unknown key for type files",
        "gateway: { deployment_store: { type: files, dir: x, poll_interval: never } } | gateway.deployment_store.poll_interval: must be a positive duration",
        "gateway: { deployment_store: { type: jdbc, url: 'http://db' } } | gateway.deployment_store.url: must be a JDBC URL",
        "gateway: [1, 2]                            | gateway: must be a mapping",
        "gateway: { host: 0.0.0.0 }                 | gateway.keys: no client API keys are configured",
    })
    void invalidGatewaySettingsNameFileKeyAndProblem(String section, String expected) throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, PROVIDERS + section + "\n");
        assertThatThrownBy(() -> SwitchboardGateway.start(GatewayOptions.builder().config(file).port(0).build()).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected)
                .hasMessageNotContaining("sk-plain-secret")
                .hasMessageNotContaining("admin-plain");
    }

    @Test
    void unknownGatewayKeysAreIgnoredNotFatal() throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, PROVIDERS + "gateway: { max_body_bytez: 5, port: 0 }\n");
        try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder().config(file).build())) {
            assertThat(gw.port()).isPositive();
        }
    }
}
