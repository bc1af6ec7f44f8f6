package dev.switchboard.gateway.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.GatewayOptions;
import dev.switchboard.gateway.SwitchboardGateway;
import dev.switchboard.runtime.Switchboard;
import dev.switchboard.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A gateway started in-process in front of two fake providers: {@code primary} (where tests inject faults)
 * and {@code backup} (healthy, the fallback), both of type openai with breakers off and a
 * {@value #REQUEST_TIMEOUT} request timeout. Offers a plain HTTP client and SSE parsing of the answers.
 */
final class FaultyUpstreams implements AutoCloseable {
    static final String PRIMARY_KEY = "sk-primary-secret-5b1f0e7a9c";
    static final String BACKUP_KEY = "sk-backup-secret-3d8e6a2f41";
    /** The providers' {@code request_timeout} unless a test gives its own. */
    static final String REQUEST_TIMEOUT = "1s";
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeLlmServer primary = FakeLlmServer.start();
    final FakeLlmServer backup = FakeLlmServer.start();
    final SwitchboardGateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FaultyUpstreams(String requestTimeout, String gatewaySection, UnaryOperator<Switchboard.Builder> customize) {
        String yaml = """
                providers:
                  primary: { type: openai, base_url: "%s", api_key: "%s", request_timeout: %s, circuit_breaker: { enabled: false } }
                  backup:  { type: openai, base_url: "%s", api_key: "%s", request_timeout: %s, circuit_breaker: { enabled: false } }
                %s""".formatted(primary.baseUrl(), PRIMARY_KEY, requestTimeout, backup.baseUrl(), BACKUP_KEY, requestTimeout,
                gatewaySection);
        try {
            gateway = SwitchboardGateway.start(GatewayOptions.builder()
                    .switchboard(customize.apply(Switchboard.builder().classpathConfig(null).configYaml(yaml)))
                    .port(0).build());
        } catch (RuntimeException e) {
            primary.close();
            backup.close();
            throw e;
        }
    }

    /** The upstreams and a gateway with a 5 s drain. */
    static FaultyUpstreams start() {
        return new FaultyUpstreams(REQUEST_TIMEOUT, "gateway: { drain_timeout: 5s }\n", b -> b);
    }

    /** The upstreams and a gateway with {@code gatewaySection} and a customized {@link Switchboard.Builder}. */
    static FaultyUpstreams start(String gatewaySection, UnaryOperator<Switchboard.Builder> customize) {
        return new FaultyUpstreams(REQUEST_TIMEOUT, gatewaySection, customize);
    }

    /** The same with the providers' {@code request_timeout}. */
    static FaultyUpstreams start(String requestTimeout, String gatewaySection, UnaryOperator<Switchboard.Builder> customize) {
        return new FaultyUpstreams(requestTimeout, gatewaySection, customize);
    }

    /** A chat completion body for {@code primary/m} asking {@code prompt}, with extra top-level fields (JSON members). */
    static String chatBody(String prompt, boolean stream, String extraMembers) {
        ObjectNode body = JSON.createObjectNode().put("model", "primary/m");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (stream) {
            body.put("stream", true);
        }
        String json = body.toString();
        return extraMembers == null || extraMembers.isBlank() ? json
                : json.substring(0, json.length() - 1) + "," + extraMembers + "}";
    }

    HttpRequest request(String path, String json, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(timeout)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** A POST to {@code /v1/chat/completions}; the client gives up after {@code timeout}. */
    HttpResponse<String> chat(String json, Duration timeout) {
        try {
            return http.send(request("/v1/chat/completions", json, timeout), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same, asynchronously. */
    CompletableFuture<HttpResponse<String>> chatAsync(String json, Duration timeout) {
        return http.sendAsync(request("/v1/chat/completions", json, timeout), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    static List<String> events(String sse) {
        List<String> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            String b = block.strip();
            if (b.startsWith("data: ")) {
                out.add(b.substring(6));
            } else if (!b.isEmpty()) {
                throw new AssertionError("not an SSE data event: " + b);
            }
        }
        return out;
    }

    /** The concatenated {@code choices[0].delta.content} of the chunk events (error and [DONE] events skipped). */
    static String streamedText(List<String> events) {
        StringBuilder text = new StringBuilder();
        for (String e : events) {
            if (e.equals("[DONE]")) {
                continue;
            }
            JsonNode n = json(e);
            if (n.has("choices") && n.path("choices").size() > 0) {
                JsonNode c = n.path("choices").get(0).path("delta").path("content");
                if (c.isTextual()) {
                    text.append(c.textValue());
                }
            }
        }
        return text.toString();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            primary.close();
            backup.close();
        }
    }
}
