package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP-level behaviour: body limit, malformed JSON, unknown paths and methods, keep-alive, health. */
class HttpBehaviourTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.start("gateway:\n  max_body_bytes: 2048\n");
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error");
    }

    @Test
    void oversizedBodyIs413OpenAiShaped() throws Exception {
        String big = "{\"model\":\"mock/m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
        HttpResponse<String> r = fx.post("/v1/chat/completions", big);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r).path("code").asText()).isEqualTo("request_too_large");
        assertThat(error(r).path("message").asText()).contains("2048");
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void malformedJsonIs400NamingTheProblem() throws Exception {
        HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\": \"mock/m\", \"messages\": [}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(r).path("message").asText()).contains("not valid JSON").contains("line 1, column");
        HttpResponse<String> array = fx.post("/v1/chat/completions", "[1,2]");
        assertThat(error(array).path("message").asText()).contains("must be a JSON object");
        HttpResponse<String> empty = fx.post("/v1/chat/completions", "");
        assertThat(empty.statusCode()).isEqualTo(400);
    }

    @Test
    void tooDeepJsonIsRefused() throws Exception {
        String deep = "{\"model\":\"mock/m\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        HttpResponse<String> r = fx.post("/v1/chat/completions", deep);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("message").asText()).containsIgnoringCase("depth");
    }

    @Test
    void missingModelNamesTheField() throws Exception {
        HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("param").asText()).isEqualTo("model");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> r = fx.get("/v1/nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).path("code").asText()).isEqualTo("unknown_url");
        HttpResponse<String> m = fx.get("/v1/chat/completions");
        assertThat(m.statusCode()).isEqualTo(405);
        assertThat(m.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        String body = "{\"model\":\"mock/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        try (Socket s = new Socket("127.0.0.1", fx.gateway.port())) {
            s.setSoTimeout(5000);
            // two pipelined requests, then a third after the answers
            s.getOutputStream().write((req + req).getBytes(StandardCharsets.UTF_8));
            String first = readHead(s.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 200");
            s.getInputStream().readNBytes(contentLength(first));
            String second = readHead(s.getInputStream());
            assertThat(second).startsWith("HTTP/1.1 200");
            s.getInputStream().readNBytes(contentLength(second));
            s.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
            String third = readHead(s.getInputStream());
            assertThat(third).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new AssertionError("no content-length in " + head);
    }

    @Test
    void healthReportsConfigAndBreakers() throws Exception {
        HttpResponse<String> r = fx.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(r.body());
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("ready").asBoolean()).isTrue();
        assertThat(h.at("/config/version").asText()).isNotBlank();
        assertThat(h.at("/providers/fake/circuit_breaker").asText()).isEqualTo("DISABLED");
        assertThat(h.at("/providers/fragile/circuit_breaker").asText()).isEqualTo("CLOSED");
        assertThat(r.body()).doesNotContain("sk-");
        assertThat(fx.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(fx.get("/health/ready").statusCode()).isEqualTo(200);
    }
}
