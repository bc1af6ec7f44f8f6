package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/embeddings} and {@code /v1/models} through the OpenAI SDK. */
class EmbeddingsAndModelsTest {
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
    void embeddingsGoToTheProvider() {
        CreateEmbeddingResponse r = fx.openai.embeddings().create(EmbeddingCreateParams.builder()
                .model("fake/text-embedding-3-small").input("hello world").build());

        assertThat(r.data()).hasSize(1);
        assertThat(r.data().get(0).embedding()).isNotEmpty();
        JsonNode sent = fx.fake.takeRequest(Duration.ofSeconds(1)).json();
        assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.path("input").get(0).asText()).isEqualTo("hello world");
    }

    @Test
    void embeddingsAsFloatsOrBase64() throws Exception {
        HttpResponse<String> floats = fx.post("/v1/embeddings", "{\"model\":\"mock/e\",\"input\":[\"a\",\"b\"],\"dimensions\":4}");
        HttpResponse<String> base64 = fx.post("/v1/embeddings", "{\"model\":\"mock/e\",\"input\":\"a\",\"encoding_format\":\"base64\"}");

        assertThat(floats.statusCode()).isEqualTo(200);
        JsonNode f = JSON.readTree(floats.body());
        assertThat(f.path("data")).hasSize(2);
        assertThat(f.at("/data/0/embedding")).hasSize(4);
        assertThat(JSON.readTree(base64.body()).at("/data/0/embedding").isTextual()).isTrue();
        assertThat(floats.headers().firstValue("x-switchboard-provider")).hasValue("mock");
    }

    @Test
    void unknownEmbeddingModelIsNotFound() {
        assertThatThrownBy(() -> fx.openai.embeddings().create(EmbeddingCreateParams.builder().model("ghost/x").input("a").build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void embeddingInputErrorIs400WithParam() throws Exception {
        HttpResponse<String> r = fx.post("/v1/embeddings", "{\"model\":\"mock/e\",\"input\":[\"ok\", 3]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/param").asText()).isEqualTo("input[1]");
    }

    @Test
    void modelsListsDeploymentsAndReferencedModels() {
        List<String> ids = fx.openai.models().list().data().stream().map(Model::id).collect(Collectors.toList());
        assertThat(ids).containsSubsequence("support", "greet").contains("fake/gpt-4o-mini", "backup/gpt-4o");
        assertThat(fx.openai.models().retrieve("support").ownedBy()).isEqualTo("switchboard");
        assertThatThrownBy(() -> fx.openai.models().retrieve("nothing-here")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void modelsRetrieveTakesSlashedIds() throws Exception {
        HttpResponse<String> r = fx.get("/v1/models/fake%2Fgpt-4o-mini");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("owned_by").asText()).isEqualTo("fake");
        assertThat(fx.get("/v1/models/fake/gpt-4o-mini").statusCode()).isEqualTo(200);
    }
}
