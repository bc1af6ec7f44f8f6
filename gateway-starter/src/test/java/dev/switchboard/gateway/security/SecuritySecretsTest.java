package dev.switchboard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.CallRecordJson;
import dev.switchboard.runtime.calllog.InMemoryCallLogStore;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RawResponse;
import dev.switchboard.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Provider API keys never leave the gateway: calls run against a provider whose errors repeat the key (in
 * the message, the body, headers, a stream's error event, a malformed answer), and every response body and
 * header, every line the gateway logged (System.err captured), every call-log record and the metrics (when
 * exposed) are scanned for the key.
 */
class SecuritySecretsTest {
    private static final String PRIMARY_KEY = "sk-live-PRIMARY-7d1c9e0f3b2a5968";
    private static final String BACKUP_KEY = "sk-live-BACKUP-4e8a2c6b1d3f5079";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void providerKeysAppearInNoResponseLogLineRecordOrMetric() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> seen = new ArrayList<>();
        InMemoryCallLogStore store = new InMemoryCallLogStore(1000);
        CallLog log = CallLog.builder(store).build();
        try (FakeLlmServer primary = FakeLlmServer.start(); FakeLlmServer backup = FakeLlmServer.start()) {
            System.setErr(new PrintStream(new TeeStream(captured, originalErr), true, StandardCharsets.UTF_8));
            String yaml = """
                    providers:
                      primary: { type: openai, base_url: "%s", api_key: "%s", request_timeout: 1s, circuit_breaker: { enabled: false } }
                      backup:  { type: openai, base_url: "%s", api_key: "%s", request_timeout: 1s, circuit_breaker: { failure_threshold: 2 } }
                    deployments:
                      support:
                        model: primary/m
                        messages: [{ role: system, content: "Help." }]
                        fallbacks: [backup/m]
                    gateway: { drain_timeout: 2s }
                    """.formatted(primary.baseUrl(), PRIMARY_KEY, backup.baseUrl(), BACKUP_KEY);
            try (SwitchboardGateway gw = SwitchboardGateway.start(GatewayOptions.builder()
                    .switchboard(Switchboard.builder().classpathConfig(null).configYaml(yaml).callLog(log)).port(0).build())) {
                HttpClient http = HttpClient.newHttpClient();
                List<Runnable> scripts = List.of(
                        () -> primary.enqueue(Reply.status(401).errorMessage("Incorrect API key provided: " + PRIMARY_KEY)
                                .errorCode("invalid_api_key").header("x-echo-authorization", "Bearer " + PRIMARY_KEY)),
                        () -> primary.enqueue(Reply.status(500).errorMessage("upstream saw Authorization: Bearer " + PRIMARY_KEY)),
                        () -> primary.enqueue(RawResponse.json(400, "{\"error\":{\"message\":\"bad request from key " + PRIMARY_KEY
                                + "\",\"type\":\"invalid_request_error\",\"param\":\"" + PRIMARY_KEY + "\"}}")),
                        () -> primary.enqueue(RawResponse.text(502, "text/html", "<h1>proxy error for " + PRIMARY_KEY + "</h1>")),
                        () -> primary.enqueue(RawResponse.json(200, "{\"oops\":\"" + PRIMARY_KEY + "\"")),
                        () -> primary.enqueue(RawResponse.sse(200, "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":"
                                + "[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n"
                                + "data: {\"error\":{\"message\":\"stream broke for " + PRIMARY_KEY + "\",\"type\":\"server_error\"}}\n\n")),
                        () -> primary.enqueue(Reply.status(429).errorMessage("rate limited " + PRIMARY_KEY).retryAfterSeconds(0)),
                        () -> {
                            primary.enqueue(Reply.status(503).errorMessage("primary down " + PRIMARY_KEY));
                            backup.enqueue(Reply.status(503).errorMessage("backup down " + BACKUP_KEY));
                        },
                        () -> {
                            primary.enqueue(Fault.connectionReset());
                            backup.enqueue(Reply.status(401).errorMessage("wrong key " + BACKUP_KEY));
                        });
                List<String> bodies = List.of(
                        "{\"model\":\"primary/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "{\"model\":\"primary/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "{\"model\":\"support\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "{\"model\":\"support\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                for (Runnable script : scripts) {
                    for (String body : bodies) {
                        primary.reset();
                        backup.reset();
                        script.run();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        seen.add(r.statusCode() + " " + r.headers().map() + " " + r.body());
                        primary.reset();
                        backup.reset();
                        script.run();
                        HttpResponse<String> invoke = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v2/deployments/invoke"))
                                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"support\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        seen.add(invoke.statusCode() + " " + invoke.headers().map() + " " + invoke.body());
                    }
                }
                for (String path : List.of("/health", "/v1/models", "/metrics", "/v1/logs", "/v1/stats")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    seen.add(path + " " + r.statusCode() + " " + r.headers().map() + " " + r.body());
                }
                HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v2/deployments/get_config"))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"support\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(config.statusCode()).isEqualTo(200);
                seen.add(config.body());
                assertThat(log.writer().flush(Duration.ofSeconds(10))).isTrue();
                assertThat(store.records()).as("the calls were logged").hasSizeGreaterThan(scripts.size());
                store.records().forEach(rec -> seen.add(CallRecordJson.write(rec)));
            }
        } finally {
            System.setErr(originalErr);
            log.close();
        }
        seen.add(captured.toString(StandardCharsets.UTF_8));
        assertThat(String.join("\n", seen)).as("everything the gateway said contains attempts to use the key")
                .contains("primary/m").contains("401");
        for (String s : seen) {
            assertThat(s).doesNotContain(PRIMARY_KEY).doesNotContain(BACKUP_KEY)
                    .doesNotContain(PRIMARY_KEY.substring(8)).doesNotContain(BACKUP_KEY.substring(8));
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

}
