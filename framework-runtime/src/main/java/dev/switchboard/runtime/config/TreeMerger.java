package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Deep-merges configuration trees: objects merge key by key, anything else is replaced. */
public final class TreeMerger {
    private TreeMerger() {
    }

    /** Merges {@code higher} into {@code base} in place and returns {@code base}. */
    public static ObjectNode merge(ObjectNode base, ObjectNode higher) {
        for (Map.Entry<String, JsonNode> e : higher.properties()) {
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode ho) {
                merge(eo, ho);
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return base;
    }
}
