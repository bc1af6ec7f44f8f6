package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Renders OpenAI embeddings answers with deterministic unit vectors derived from a 64-bit FNV-1a hash of
 * each input (SplitMix64 stream), so equal texts always get equal vectors on any JVM. Stateless.
 */
final class OpenAiEmbeddings {

    private static final int MAX_DIMENSIONS = 65536;

    private OpenAiEmbeddings() {
    }

    static byte[] embeddings(ObjectNode request, String model, int defaultDimensions) {
        List<String> inputs = inputs(request.path("input"));
        JsonNode dims = request.path("dimensions");
        int dimensions = dims.canConvertToInt() && dims.asInt() > 0 && dims.asInt() <= MAX_DIMENSIONS
                ? dims.asInt() : defaultDimensions;
        boolean base64 = "base64".equals(request.path("encoding_format").asText());

        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            tokens += Texts.tokens(text);
            float[] vector = vector(text, dimensions);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    buf.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode arr = item.putArray("embedding");
                for (float f : vector) {
                    arr.add(f);
                }
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        return Json.bytes(root);
    }

    /** @return a deterministic unit-length vector for the text */
    static float[] vector(String text, int dimensions) {
        long state = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            state ^= b & 0xff;
            state *= 0x100000001b3L;
        }
        double[] raw = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            state += 0x9e3779b97f4a7c15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z = z ^ (z >>> 31);
            raw[i] = (z >>> 11) * 0x1.0p-53 * 2 - 1;
            norm += raw[i] * raw[i];
        }
        norm = Math.sqrt(norm);
        float[] out = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            out[i] = (float) (norm == 0 ? 0 : raw[i] / norm);
        }
        return out;
    }

    /** A string, an array of strings, a token array, or an array of token arrays. */
    private static List<String> inputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input.isArray() && input.size() > 0 && input.get(0).isNumber()) {
            out.add(input.toString());
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                out.add(item.isTextual() ? item.asText() : item.toString());
            }
        } else if (!input.isMissingNode() && !input.isNull()) {
            out.add(input.isTextual() ? input.asText() : input.toString());
        }
        return out;
    }
}
