package dev.switchboard.runtime.providers.openai;

import static dev.switchboard.runtime.providers.openai.JsonFields.NODES;
import static dev.switchboard.runtime.providers.openai.JsonFields.absent;
import static dev.switchboard.runtime.providers.openai.JsonFields.kind;
import static dev.switchboard.runtime.providers.openai.JsonFields.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.EmbeddingRequest;
import dev.switchboard.spi.EmbeddingResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads and writes OpenAI embeddings requests and {@code list} answers. Stateless and thread-safe. */
final class EmbeddingCodec {
    private EmbeddingCodec() {
    }

    static ObjectNode writeRequest(EmbeddingRequest r) {
        ObjectNode o = NODES.objectNode().put("model", r.model());
        ArrayNode input = o.putArray("input");
        r.inputs().forEach(input::add);
        if (r.dimensions() != null) {
            o.put("dimensions", r.dimensions());
        }
        return o;
    }

    static EmbeddingRequest readRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiFormatException("", "the request body must be a JSON object, was " + kind(body));
        }
        String model = JsonFields.requiredString(body, "model", "");
        JsonNode input = body.get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isTextual()) {
            inputs.add(input.textValue());
        } else if (input != null && input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw new OpenAiFormatException(path("input", i), "must be a string (token arrays are not supported), was "
                            + kind(input.get(i)));
                }
                inputs.add(input.get(i).textValue());
            }
        } else {
            throw new OpenAiFormatException("input", "must be a string or an array of strings, was " + kind(input));
        }
        if (inputs.isEmpty()) {
            throw new OpenAiFormatException("input", "must not be empty");
        }
        JsonNode dims = body.get("dimensions");
        if (!absent(dims) && (!dims.canConvertToInt() || !dims.isIntegralNumber() || dims.intValue() < 1)) {
            throw new OpenAiFormatException("dimensions", "must be a whole number of at least 1, was " + dims);
        }
        return new EmbeddingRequest(model, inputs, absent(dims) ? null : dims.intValue());
    }

    static EmbeddingResponse readResponse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiFormatException("", "an embeddings answer must be a JSON object, was " + kind(body));
        }
        List<JsonNode> data = JsonFields.array(body, "data", "");
        float[][] vectors = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            String p = path("data", i);
            JsonNode d = JsonFields.object(data.get(i), p);
            int index = d.path("index").asInt(i);
            if (index < 0 || index >= vectors.length || vectors[index] != null) {
                throw new OpenAiFormatException(path(p, "index"), "is out of range or repeated: " + index);
            }
            vectors[index] = vector(d.get("embedding"), path(p, "embedding"));
        }
        JsonNode usage = body.path("usage");
        return new EmbeddingResponse(body.path("model").asText(""), List.of(vectors),
                Usage.of(JsonFields.count(usage.get("prompt_tokens")), 0));
    }

    private static float[] vector(JsonNode e, String path) {
        if (e != null && e.isTextual()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(e.textValue())).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(v);
            return v;
        }
        if (e == null || !e.isArray()) {
            throw new OpenAiFormatException(path, "must be an array of numbers or a base64 string, was " + kind(e));
        }
        float[] v = new float[e.size()];
        for (int i = 0; i < v.length; i++) {
            if (!e.get(i).isNumber()) {
                throw new OpenAiFormatException(path(path, i), "must be a number, was " + kind(e.get(i)));
            }
            v[i] = e.get(i).floatValue();
        }
        return v;
    }

    static ObjectNode writeResponse(EmbeddingResponse r, boolean base64) {
        ObjectNode o = NODES.objectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        for (int i = 0; i < r.vectors().size(); i++) {
            float[] v = r.vectors().get(i);
            ObjectNode d = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(v);
                d.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = d.putArray("embedding");
                for (float f : v) {
                    values.add(f);
                }
            }
        }
        o.put("model", r.model());
        o.putObject("usage").put("prompt_tokens", r.usage().inputTokens()).put("total_tokens", r.usage().totalTokens());
        return o;
    }
}
