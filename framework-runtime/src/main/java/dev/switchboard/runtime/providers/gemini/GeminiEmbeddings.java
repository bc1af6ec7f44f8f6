package dev.switchboard.runtime.providers.gemini;

import static dev.switchboard.runtime.providers.gemini.GeminiJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code batchEmbedContents} requests (one {@code EmbedContentRequest} per input) and reads their
 * {@code embeddings[].values}. Gemini reports no token usage for embeddings. Stateless and thread-safe.
 */
final class GeminiEmbeddings {
    private GeminiEmbeddings() {
    }

    static ObjectNode write(EmbeddingRequest r, String modelPath) {
        ObjectNode body = NODES.objectNode();
        ArrayNode requests = body.putArray("requests");
        for (String input : r.inputs()) {
            ObjectNode one = requests.addObject().put("model", modelPath);
            one.putObject("content").putArray("parts").addObject().put("text", input);
            if (r.dimensions() != null) {
                one.put("outputDimensionality", r.dimensions());
            }
        }
        return body;
    }

    /** @throws IllegalArgumentException when the body does not hold one vector of numbers per input */
    static EmbeddingResponse read(JsonNode body, EmbeddingRequest r) {
        GeminiResponseReader.requireObject(body, "a BatchEmbedContentsResponse");
        JsonNode embeddings = body.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != r.inputs().size()) {
            throw new IllegalArgumentException("embeddings must be an array of " + r.inputs().size() + " entries");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            JsonNode values = embeddings.get(i).path("values");
            if (!values.isArray() || values.isEmpty()) {
                throw new IllegalArgumentException("embeddings[" + i + "].values must be a non-empty array of numbers");
            }
            float[] v = new float[values.size()];
            for (int j = 0; j < v.length; j++) {
                if (!values.get(j).isNumber()) {
                    throw new IllegalArgumentException("embeddings[" + i + "].values[" + j + "] is not a number");
                }
                v[j] = values.get(j).floatValue();
            }
            vectors.add(v);
        }
        return new EmbeddingResponse(r.model(), vectors, Usage.NONE);
    }
}
