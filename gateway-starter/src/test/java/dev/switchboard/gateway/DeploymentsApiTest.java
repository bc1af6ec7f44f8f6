package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v2/deployments/invoke} and {@code /v2/deployments/get_config}. */
class DeploymentsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void reset() {
        fx.fake.reset();
    }

    @Test
    void invokeAnswersAndSaysWhatAnswered() throws Exception {
        fx.fake.enqueue(Reply.text("Your parcel is on its way."));
        HttpResponse<String> r = fx.post("/v2/deployments/invoke", """
                {"key": "support", "inputs": {"company": "ACME"}, "context": {"country": "FR"},
                 "messages": [{"role": "user", "content": "Where is my parcel?"}], "metadata": {"ticket": 42}}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.path("text").asText()).isEqualTo("Your parcel is on its way.");
        assertThat(b.at("/choices/0/message/content").asText()).isEqualTo("Your parcel is on its way.");
        assertThat(b.path("deployment").asText()).isEqualTo("support");
        assertThat(b.path("variant").asText()).isEqualTo("default");
        assertThat(b.path("version").asText()).isNotBlank();
        assertThat(b.path("provider").asText()).isEqualTo("fake");
        assertThat(b.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(b.path("call_id").asText()).startsWith("call_");
        assertThat(b.path("attempts")).hasSize(1);
        assertThat(b.at("/attempts/0/outcome").asText()).isEqualTo("SUCCESS");
        JsonNode sent = fx.fake.requests().get(0).json();
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("You answer for ACME. Be brief.");
        assertThat(sent.at("/messages/1/content").asText()).isEqualTo("Where is my parcel?");
    }

    @Test
    void invokeWithoutMessagesUsesTheDeployments() throws Exception {
        HttpResponse<String> r = fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("text").asText()).isEqualTo("Say hi to Ada.");
    }

    @Test
    void invokeStreamsAndEndsWithTheResult() throws Exception {
        fx.fake.enqueue(Reply.text("one two"));
        HttpResponse<String> r = fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"},\"stream\":true}");

        assertThat(r.statusCode()).isEqualTo(200);
        String[] events = r.body().split("\n\n");
        assertThat(events[events.length - 1]).isEqualTo("data: [DONE]");
        JsonNode result = JSON.readTree(events[events.length - 2].substring("data: ".length()));
        assertThat(result.path("object").asText()).isEqualTo("deployment.invocation.result");
        assertThat(result.path("provider").asText()).isEqualTo("fake");
        assertThat(result.path("deployment").asText()).isEqualTo("greet");
        assertThat(result.path("usage").isObject()).isTrue();
        assertThat(r.body()).contains("\"content\":\"one\"");
    }

    @Test
    void invokeErrorsNameTheProblem() throws Exception {
        HttpResponse<String> unknown = fx.post("/v2/deployments/invoke", "{\"key\":\"nope\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> missing = fx.post("/v2/deployments/invoke", "{\"key\":\"greet\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).at("/error/param").asText()).isEqualTo("inputs.name");
        HttpResponse<String> extra = fx.post("/v2/deployments/invoke", "{\"key\":\"greet\",\"bogus\":1}");
        assertThat(JSON.readTree(extra.body()).at("/error/param").asText()).isEqualTo("bogus");
        HttpResponse<String> noKey = fx.post("/v2/deployments/invoke", "{}");
        assertThat(JSON.readTree(noKey.body()).at("/error/param").asText()).isEqualTo("key");
    }

    @Test
    void getConfigRendersTheResolvedVariantWithoutSecrets() throws Exception {
        HttpResponse<String> r = fx.post("/v2/deployments/get_config", "{\"key\":\"greet\",\"inputs\":{\"name\":\"Ada\"},\"context\":{\"tier\":\"gold\"}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = JSON.readTree(r.body());
        assertThat(b.path("deployment").asText()).isEqualTo("greet");
        assertThat(b.path("variant").asText()).isEqualTo("default");
        assertThat(b.path("version").asText()).isNotBlank();
        assertThat(b.path("provider").asText()).isEqualTo("fake");
        assertThat(b.path("provider_type").asText()).isEqualTo("openai");
        assertThat(b.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(b.at("/messages/1/content").asText()).isEqualTo("Say hi to Ada.");
        assertThat(b.at("/retry/count").asInt()).isEqualTo(2);
        assertThat(b.at("/retry/on_codes/0").asInt()).isEqualTo(503);
        assertThat(b.at("/fallbacks/0").asText()).isEqualTo("backup/gpt-4o");
        assertThat(b.path("timeout_ms").asLong()).isPositive();
        assertThat(r.body()).doesNotContain(GatewayFixture.FAKE_KEY).doesNotContain(GatewayFixture.BACKUP_KEY)
                .doesNotContain("sk-").doesNotContain(fx.fake.baseUrl());
        assertThat(r.headers().map().toString()).doesNotContain("sk-");
        assertThat(fx.fake.requestCount()).isZero();
    }

    @Test
    void getConfigParametersAndErrors() throws Exception {
        JsonNode b = JSON.readTree(fx.post("/v2/deployments/get_config", "{\"key\":\"support\",\"inputs\":{\"company\":\"ACME\"}}").body());
        assertThat(b.at("/parameters/temperature").asDouble()).isEqualTo(0.3);
        assertThat(b.at("/retry/count").asInt()).isZero();
        assertThat(fx.post("/v2/deployments/get_config", "{\"key\":\"support\"}").statusCode()).isEqualTo(400);
        assertThat(fx.post("/v2/deployments/get_config", "{\"key\":\"ghost\"}").statusCode()).isEqualTo(404);
    }
}
