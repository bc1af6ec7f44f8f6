package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.Switchboard;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client API keys: bearer keys checked against {@code gateway.keys} hashes; {@code /health} stays open. */
class AuthTest {
    private static final String KEY = "sb-team-a-7f3c9";
    private static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.start("gateway:\n  keys: [\"" + ApiKeys.hash(KEY) + "\", \"" + ApiKeys.hash("other") + "\"]\n");
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void missingOrWrongKeyIs401() throws Exception {
        String body = "{\"model\":\"mock/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> none = fx.post("/v1/chat/completions", body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> wrong = fx.post("/v1/chat/completions", body, Map.of("authorization", "Bearer not-it"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"code\":\"invalid_api_key\"").doesNotContain("not-it");
        assertThat(fx.get("/v1/models").statusCode()).isEqualTo(401);
        assertThat(fx.get("/v1/unknown").statusCode()).as("no probing without a key").isEqualTo(401);
        assertThatThrownBy(() -> fx.openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("mock/m").addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void rightKeyIsAccepted() throws Exception {
        String body = "{\"model\":\"mock/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(fx.post("/v1/chat/completions", body, Map.of("authorization", "Bearer " + KEY)).statusCode()).isEqualTo(200);
        assertThat(fx.post("/v1/chat/completions", body, Map.of("x-api-key", "other")).statusCode()).isEqualTo(200);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(fx.gateway.baseUrl() + "/v1").apiKey(KEY).maxRetries(0).build();
        try {
            assertThat(client.chat().completions().create(ChatCompletionCreateParams.builder().model("mock/m").addUserMessage("hi").build())
                    .choices().get(0).message().content()).hasValue("echo: hi");
        } finally {
            client.close();
        }
    }

    @Test
    void healthNeedsNoKey() throws Exception {
        assertThat(fx.get("/health").statusCode()).isEqualTo(200);
        assertThat(fx.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutKeysOnlyLoopbackIsAllowed() {
        assertThatThrownBy(() -> SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml("providers: { mock: { type: mock } }"))
                .host("0.0.0.0").port(0).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.keys").hasMessageContaining("0.0.0.0");
    }

    @Test
    void plainKeysInConfigAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml("gateway: { keys: [\"sk-plain-key\"] }"))
                .port(0).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.keys[0]").hasMessageNotContaining("sk-plain-key");
    }

    @Test
    void hashesAreComparedOnTheHash() {
        ApiKeys keys = ApiKeys.of(java.util.List.of(ApiKeys.hash("abc")), "gateway.keys");
        assertThat(ApiKeys.hash("abc")).isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(keys.accepts("abc")).isTrue();
        assertThat(keys.accepts("abd")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(ApiKeys.isHash("sha256:" + "0".repeat(64))).isTrue();
        assertThat(ApiKeys.isHash("sha256:" + "g".repeat(64))).isFalse();
    }
}
