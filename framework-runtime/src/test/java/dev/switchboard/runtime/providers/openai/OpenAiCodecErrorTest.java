package dev.switchboard.runtime.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ProviderCallException.Kind;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.http.HttpResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiCodecErrorTest {
    private final OpenAiCodec codec = OpenAiCodec.shared();

    private static HttpResult result(int status, String body, Map<String, List<String>> headers) {
        return new HttpResult(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private ProviderException read(int status, String body) {
        return codec.readError("openai", "gpt-4o", result(status, body, Map.of()));
    }

    @Test
    void rateLimitIsRetryableWithItsDelay() {
        ProviderException e = codec.readError("openai", "gpt-4o",
                result(429, Fixtures.text("error-429.json"), Map.of("retry-after", List.of("3"))));

        assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(e.getMessage()).contains("Rate limit reached for gpt-4o").contains("429");
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.model()).isEqualTo("gpt-4o");
    }

    @Test
    void retryAfterMillisecondsWins() {
        ProviderException e = codec.readError("openai", "m", result(429, Fixtures.text("error-429.json"),
                Map.of("retry-after", List.of("3"), "retry-after-ms", List.of("250"))));
        assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
    }

    @Test
    void quotaExhaustionIsNotRetryable() {
        ProviderException e = read(429, Fixtures.text("error-429-insufficient-quota.json"));
        assertThat(e.errorCode()).isEqualTo("insufficient_quota");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void badRequestCarriesTheCodeAndIsNotRetryable() {
        ProviderException e = read(400, Fixtures.text("error-400.json"));
        assertThat(e.errorCode()).isEqualTo("unsupported_parameter");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("max_completion_tokens");
    }

    @Test
    void authenticationFailure() {
        ProviderException e = read(401, Fixtures.text("error-401.json"));
        assertThat(e.errorCode()).isEqualTo("invalid_api_key");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void typeStandsInForAMissingCode() {
        ProviderException e = read(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        assertThat(e.errorCode()).isEqualTo("server_error");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void compatibleServersErrorShapes() {
        assertThat(read(404, "{\"error\":\"model 'llama9' not found\"}").getMessage()).contains("model 'llama9' not found");
        ProviderException mistral = read(422, "{\"object\":\"error\",\"message\":\"Extra inputs are not permitted\",\"type\":\"invalid_request_error\",\"code\":null}");
        assertThat(mistral.getMessage()).contains("Extra inputs are not permitted");
        assertThat(mistral.errorCode()).isEqualTo("invalid_request_error");
        ProviderException html = read(502, "<html><body>Bad gateway</body></html>");
        assertThat(html.getMessage()).contains("Bad gateway");
        assertThat(html.retryable()).isTrue();
        assertThat(html.errorCode()).isNull();
    }

    @Test
    void errorObjectsInsideA200() {
        JsonNode serverError = codec.parse("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        assertThat(codec.isError(serverError)).isTrue();
        ProviderException e = codec.readErrorBody("openai", "m", serverError);
        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("overloaded");

        ProviderException vllm = codec.readErrorBody("vllm", "m",
                codec.parse("{\"error\":{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}}"));
        assertThat(vllm.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(vllm.statusCode()).isEqualTo(400);
        assertThat(vllm.retryable()).isFalse();
        assertThat(codec.isError(codec.parse("{\"choices\":[]}"))).isFalse();
    }

    @Test
    void writesTheGatewayErrorShape() {
        JsonNode body = codec.parse(codec.writeError("messages[2].role: unknown role 'robot'", "invalid_request_error",
                "messages[2].role", null));
        assertThat(body.toString()).isEqualTo("{\"error\":{\"message\":\"messages[2].role: unknown role 'robot'\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages[2].role\",\"code\":null}}");
        ProviderException e = read(400, body.toString());
        assertThat(e.errorCode()).isEqualTo("invalid_request_error");
    }
}
