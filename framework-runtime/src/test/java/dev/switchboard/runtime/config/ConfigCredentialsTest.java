package dev.switchboard.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.Switchboard;
import dev.switchboard.spi.Secret;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link ConfigCredentials}: which values of a configuration are credentials, nested ones included. */
class ConfigCredentialsTest {

    private static SwitchboardConfig parse(String yaml) {
        try (Switchboard sb = Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .configYaml(yaml).build()) {
            return sb.config();
        }
    }

    @Test
    void apiKeysNestedCredentialsAndHeaderValuesAreSecretsLongestFirst() {
        SwitchboardConfig c = parse("""
                providers:
                  vendor:
                    type: openai
                    base_url: "http://127.0.0.1:1/v1"
                    api_key: sk-vendor-key-0001
                    organization: org-visible-name
                    headers: { api-key: header-secret-0002, X-Tenant: tenant-header-0003 }
                  relay:
                    type: gateway
                    base_url: "http://127.0.0.1:2"
                    api_key: relay-key-0004
                    direct_fallback:
                      type: openai
                      base_url: "http://127.0.0.1:3/v1"
                      api_key: fallback-key-0005-longer
                      headers: { Authorization: "Bearer nested-0006" }
                  quiet: { type: mock, prefix: "echo-prefix: " }
                """);
        assertThat(ConfigCredentials.of(c)).containsExactlyInAnyOrder("sk-vendor-key-0001", "header-secret-0002", "tenant-header-0003",
                "relay-key-0004", "fallback-key-0005-longer", "Bearer nested-0006");
        assertThat(ConfigCredentials.of(c).get(0)).isEqualTo("fallback-key-0005-longer");
    }

    @Test
    void namesShortValuesAndNonStringsAreJudgedAsDocumented() {
        assertThat(ConfigCredentials.isCredentialName("api_key")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("apiKey")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("access-token")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("client_secret")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("Authorization")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("password")).isTrue();
        assertThat(ConfigCredentials.isCredentialName("base_url")).isFalse();
        assertThat(ConfigCredentials.isCredentialName("organization")).isFalse();
        ProviderEntry e = new ProviderEntry("p", "openai", null, Secret.of("abc"), null, null, null,
                Map.of("token", "short", "secret_list", List.of("listed-secret-1", 7), "max_tokens", 100, "note", "not-a-secret-value"));
        assertThat(ConfigCredentials.of(List.of(e))).containsExactly("listed-secret-1");
        assertThat(ConfigCredentials.of((SwitchboardConfig) null)).isEmpty();
    }
}
