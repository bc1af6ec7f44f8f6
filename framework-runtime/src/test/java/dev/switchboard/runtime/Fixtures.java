package dev.switchboard.runtime;

import java.util.Map;
import java.util.Properties;

/** Builders for tests: no classpath config, no process environment. */
final class Fixtures {
    private Fixtures() {
    }

    static Switchboard.Builder builder(String yaml) {
        return Switchboard.builder().classpathConfig(null).environment(Map.of()).systemProperties(new Properties())
                .providerFactory(ScriptedProvider.factory()).configYaml(yaml);
    }

    static Switchboard mock(String extraYaml) {
        return builder("""
                providers:
                  mock: { type: mock }
                  echo: { type: mock, prefix: "echo: " }
                """ + extraYaml).build();
    }
}
