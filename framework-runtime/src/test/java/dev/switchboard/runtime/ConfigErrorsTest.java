package dev.switchboard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid configuration fails with the source, the key path and the problem. */
class ConfigErrorsTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "providers: { p: { base_url: x } }                                     | providers.p.type: is required",
        "providers: { p: { type: nosuch } }                                    | providers.p.type: unknown provider type 'nosuch'",
        "providers: { p: { type: mock, latency_ms: -1 } }                      | providers.p.latency_ms: delays must not be negative",
        "providers: { p: { type: mock, circuit_breaker: { failure_threshold: 0 } } } | providers.p.circuit_breaker.failure_threshold: must be between 1",
        "providers: { p: { type: mock, request_timeout: soon } }                | providers.p.request_timeout: must be a duration",
        "deployments: { d: { model: p/m } }                                    | deployments.d.model: provider 'p' is not defined",
        "providers: { p: { type: mock } } NL deployments: { d: { model: pm } }    | deployments.d.model: model reference 'pm' must be provider/model",
        "providers: { p: { type: mock } } NL deployments: { d: { modle: p/m } }   | deployments.d.modle: unknown key",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, retry: { count: 99 } } } | deployments.d.retry.count: must be between 0 and 20",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, retry: { count: 1, on_codes: [42] } } } | deployments.d.retry.on_codes[0]: must be between 100 and 599",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, fallbacks: [q/x] } } | deployments.d.fallbacks[0]: provider 'q' is not defined",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, messages: [{ role: robot, content: hi }] } } | deployments.d.messages[0].role: unknown role 'robot'",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, messages: [{ role: user, content: '{{x' }] } } | deployments.d.messages[0].content: unclosed '{{'",
        "providers: { p: { type: mock } } NL deployments: { d: { variants: { a: { model: p/m } }, default_variant: b } } | deployments.d.default_variant: 'b' is not a variant",
        "providers: { p: { type: mock } } NL deployments: { d: { model: p/m, timeout: -3 } } | deployments.d.timeout: must not be negative",
        "providers: { p: { type: mock, api_key: '${NOT_SET}' } }               | providers.p.api_key: environment variable NOT_SET is not set",
        "gateways: {}                                                          | gateways: unknown key",
        "providers: [1, 2]                                                     | providers: must be a mapping",
    })
    void invalidValuesNameTheKeyPath(String yaml, String expected) {
        assertThatThrownBy(() -> Fixtures.builder(yaml.replace(" NL ", "\n")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inline configuration")
                .hasMessageContaining(expected);
    }

    @Test
    void syntaxErrorsNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, "providers:\n  p: { type: mock\n");
        assertThatThrownBy(() -> Switchboard.builder().classpathConfig(null).environment(Map.of()).config(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line");
    }

    @Test
    void missingFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> Switchboard.builder().classpathConfig(null).config(dir.resolve("nope.yaml")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml: file not found");
    }

    @Test
    void layersOverrideLowToHighAndInterpolateEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, """
                providers:
                  p: { type: mock, api_key: "${KEY}", base_url: "${BASE:-http://localhost:1}" }
                deployments:
                  d: { model: p/from-file, parameters: { temperature: 0.5 } }
                """);
        Properties props = new Properties();
        props.setProperty("switchboard.deployments.d.parameters.max_tokens", "99");
        Switchboard sb = Switchboard.builder().classpathConfig(null).config(file).systemProperties(props)
                .environment(Map.of("KEY", "secret", "SWITCHBOARD__DEPLOYMENTS__D__MODEL", "p/from-env")).build();
        var variant = sb.config().deployments().get("d").defaultVariantConfig();
        assertThat(variant.model().toString()).isEqualTo("p/from-env");
        assertThat(variant.parameters()).containsEntry("temperature", 0.5).containsEntry("max_tokens", 99L);
        assertThat(sb.config().providers().get("p").apiKey().reveal()).isEqualTo("secret");
        assertThat(sb.config().providers().get("p").apiKey().toString()).isEqualTo("****");
        assertThat(sb.config().providers().get("p").baseUrl()).isEqualTo("http://localhost:1");
        sb.close();
    }
}
