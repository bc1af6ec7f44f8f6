package dev.switchboard.runtime.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Builds a small JSON value that fits a JSON schema, for the mock provider's structured output. */
final class SchemaSample {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SchemaSample() {
    }

    static JsonNode of(JsonNode schema) {
        return sample(schema, 0);
    }

    private static JsonNode sample(JsonNode s, int depth) {
        if (s == null || depth > 12) {
            return F.nullNode();
        }
        if (s.has("enum") && s.get("enum").size() > 0) {
            return s.get("enum").get(0);
        }
        switch (s.path("type").asText()) {
            case "object": {
                ObjectNode o = F.objectNode();
                for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
                    o.set(p.getKey(), sample(p.getValue(), depth + 1));
                }
                return o;
            }
            case "array": {
                ArrayNode a = F.arrayNode();
                a.add(sample(s.get("items"), depth + 1));
                return a;
            }
            case "integer":
                return F.numberNode(1);
            case "number":
                return F.numberNode(1.5);
            case "boolean":
                return F.booleanNode(true);
            case "string":
                return F.textNode("sample");
            default:
                return F.nullNode();
        }
    }
}
