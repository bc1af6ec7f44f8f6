package dev.switchboard.samples.configmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Completion;
import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.samples.configmanagement.ConfigManagementApp.SupportBot;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application calls a fake vendor directly, with the prompt, model and routing of a gateway started
 * in-process: a publish changes what it sends within seconds; with the gateway stopped it keeps working, and a
 * restart while the gateway is down starts from the last-known-good file.
 */
class ConfigManagementAppTest {
    private static final String CLIENT_KEY = "sk-app-to-gateway";
    private static final String ADMIN_KEY = "sk-admin";
    private static final String GATEWAY_VENDOR_KEY = "sk-gateway-own-vendor-key";
    private static final String APP_VENDOR_KEY = "sk-app-own-vendor-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private final FakeLlmServer vendor = FakeLlmServer.start();
    private SwitchboardGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        vendor.close();
    }

    private void startGateway() {
        String yaml = """
                providers:
                  vendor: { type: openai, base_url: "%s", api_key: "%s" }
                gateway:
                  keys: ["%s"]
                  admin_keys: ["%s"]
                  deployment_store: { type: files, dir: "%s", poll_interval: 200ms }
                  drain_timeout: 1s
                """.formatted(vendor.baseUrl(), GATEWAY_VENDOR_KEY, hash(CLIENT_KEY), hash(ADMIN_KEY), dir.resolve("store"));
        gateway = SwitchboardGateway.start(GatewayOptions.builder()
                .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml)).port(0).build());
    }

    private Switchboard app() {
        Properties noOverrides = new Properties();
        Switchboard.Builder base = Switchboard.builder().systemProperties(noOverrides)
                .environment(Map.of("VENDOR_BASE_URL", vendor.baseUrl(), "OPENAI_API_KEY", APP_VENDOR_KEY));
        return ConfigManagementApp.connect(base, URI.create(gateway.baseUrl()), CLIENT_KEY, dir.resolve("lkg.json"), Duration.ofMillis(200));
    }

    private void publish(String definition) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v2/admin/deployments/support/versions"))
                .header("authorization", "Bearer " + ADMIN_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"author\": \"ops\", \"definition\": " + definition + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** The system prompt and model of the last request the vendor received. */
    private String lastSent() {
        List<RecordedRequest> all = vendor.requests();
        JsonNode body = all.get(all.size() - 1).json();
        return body.path("model").asText() + " | " + body.at("/messages/0/content").asText();
    }

    @Test
    void followsTheGatewayKeepsWorkingWithoutItAndRestartsFromTheLastKnownGoodCopy() throws Exception {
        startGateway();
        publish("""
                {"model": "vendor/gpt-4o-mini",
                 "messages": [{"role": "system", "content": "v1: you answer for {{company}}."}, {"role": "user", "content": "{{question}}"}]}""");
        try (Switchboard app = app()) {
            SupportBot bot = app.create(SupportBot.class);
            Completion<String> c = bot.answer("ACME", "Where is my parcel?", "free");
            assertThat(c.content()).isEqualTo("Where is my parcel?"); // the fake vendor echoes
            assertThat(c.version()).isEqualTo("v1");
            assertThat(lastSent()).isEqualTo("gpt-4o-mini | v1: you answer for ACME.");
            assertThat(vendor.requests().get(0).header("authorization")).isEqualTo("Bearer " + APP_VENDOR_KEY);

            publish("""
                    {"default_variant": "main",
                     "variants": {
                       "main": {"model": "vendor/gpt-4o-mini", "messages": [{"role": "system", "content": "v2: be brief, {{company}}."}, {"role": "user", "content": "{{question}}"}]},
                       "pro":  {"model": "vendor/gpt-4o", "messages": [{"role": "system", "content": "v2 pro: take your time, {{company}}."}, {"role": "user", "content": "{{question}}"}]}},
                     "routing": [{"name": "pro-plan", "when": {"plan": "pro"}, "variant": "pro"}]}""");
            assertThat(eventually(() -> "v2".equals(bot.answer("ACME", "Hi", "free").version()))).isTrue();
            assertThat(lastSent()).isEqualTo("gpt-4o-mini | v2: be brief, ACME.");
            Completion<String> pro = bot.answer("ACME", "Hi", "pro");
            assertThat(pro.variant()).isEqualTo("pro");
            assertThat(lastSent()).isEqualTo("gpt-4o | v2 pro: take your time, ACME.");

            gateway.close();
            gateway = null;
            Thread.sleep(500); // a few refreshes fail
            assertThat(bot.answer("ACME", "Still there?", "free").content()).isEqualTo("Still there?");
            assertThat(lastSent()).isEqualTo("gpt-4o-mini | v2: be brief, ACME.");
            assertThat(app.managedConfig().orElseThrow().status().state()).isEqualTo("degraded");
        }
        String lkg = Files.readString(dir.resolve("lkg.json"));
        assertThat(lkg).contains("v2 pro: take your time").doesNotContain(GATEWAY_VENDOR_KEY).doesNotContain(vendor.baseUrl());

        // The gateway is still down: a restarted application starts from the last-known-good file.
        gateway = null;
        try (Switchboard app = ConfigManagementApp.connect(Switchboard.builder().systemProperties(new Properties())
                        .environment(Map.of("VENDOR_BASE_URL", vendor.baseUrl(), "OPENAI_API_KEY", APP_VENDOR_KEY)),
                URI.create("http://127.0.0.1:9"), CLIENT_KEY, dir.resolve("lkg.json"), Duration.ofMillis(200))) {
            SupportBot bot = app.create(SupportBot.class);
            Completion<String> c = bot.answer("ACME", "After restart", "pro");
            assertThat(c.version()).isEqualTo("v2");
            assertThat(lastSent()).isEqualTo("gpt-4o | v2 pro: take your time, ACME.");
        }
    }

    @Test
    void withoutAnyPublishedVersionTheAnnotationsServe() throws Exception {
        startGateway();
        try (Switchboard app = app()) {
            Completion<String> c = app.create(SupportBot.class).answer("ACME", "Hello", "free");
            assertThat(c.content()).isEqualTo("Hello");
            assertThat(lastSent()).isEqualTo("gpt-4o-mini | You answer for ACME.");
        }
    }

    private static boolean eventually(BooleanSupplier check) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (check.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return check.getAsBoolean();
    }

    private static String hash(String key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
