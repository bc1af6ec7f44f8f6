package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.Versions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of deployment versions, shared by the gateway's admin API and export endpoint, the
 * {@link RemoteConfigSource} that reads the export, and the stores. Stateless and thread-safe.
 *
 * <pre>{@code
 * {"key": "support", "version": "v3", "number": 3, "created_at": "2025-05-01T10:00:00Z",
 *  "author": "alice", "message": "shorter answers", "definition": {"model": "openai/gpt-4o-mini", …}}
 * }</pre>
 *
 * The export ({@code GET /v2/deployments/export}) is {@code {"deployments": {"<key>": <version without key>, …}}};
 * it never holds provider entries or credentials, only deployment definitions.
 */
public final class DeploymentJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DeploymentJson() {
    }

    /** A version without its definition. */
    public static ObjectNode summary(DeploymentVersion v) {
        return F.objectNode().put("key", v.key()).put("version", v.label()).put("number", v.number())
                .put("created_at", v.createdAt().toString()).put("author", v.author()).put("message", v.message());
    }

    /** A version with its definition. */
    public static ObjectNode full(DeploymentVersion v) {
        ObjectNode o = summary(v);
        o.set("definition", v.definition());
        return o;
    }

    /** Summaries of {@code versions}, as a list. */
    public static ArrayNode summaries(List<DeploymentVersion> versions) {
        ArrayNode a = F.arrayNode();
        versions.forEach(v -> a.add(summary(v)));
        return a;
    }

    /**
     * Reads a version written by {@link #full}; {@code key} is used when the node has none.
     *
     * @throws IllegalArgumentException naming the field when the node is not such a version
     */
    public static DeploymentVersion read(JsonNode node, String key) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a deployment version must be an object");
        }
        String k = node.hasNonNull("key") ? node.get("key").asText() : key;
        int number = node.hasNonNull("number") ? node.get("number").asInt()
                : DeploymentVersion.parseNumber(node.path("version").asText(null));
        JsonNode def = node.get("definition");
        if (def == null || !def.isObject()) {
            throw new IllegalArgumentException("deployment '" + k + "': definition must be an object");
        }
        Instant at;
        try {
            at = node.hasNonNull("created_at") ? Instant.parse(node.get("created_at").asText()) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("deployment '" + k + "': created_at is not an ISO-8601 instant: " + node.get("created_at"));
        }
        return DeploymentVersion.builder(k, number).createdAt(at).author(node.path("author").asText(null))
                .message(node.path("message").asText(null)).definition((ObjectNode) def).build();
    }

    /** The export document of {@code versions} (current versions, one per key). */
    public static ObjectNode export(List<DeploymentVersion> versions) {
        ObjectNode out = F.objectNode();
        ObjectNode deployments = out.putObject("deployments");
        for (DeploymentVersion v : versions) {
            ObjectNode o = full(v);
            o.remove("key");
            deployments.set(v.key(), o);
        }
        return out;
    }

    /**
     * Reads an export document.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static List<DeploymentVersion> readExport(JsonNode export) {
        JsonNode d = export == null ? null : export.get("deployments");
        if (d == null || !d.isObject()) {
            throw new IllegalArgumentException("an export must be an object with a 'deployments' object");
        }
        List<DeploymentVersion> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : d.properties()) {
            out.add(read(e.getValue(), e.getKey()));
        }
        return out;
    }

    /** The strong HTTP entity tag of an export document: a content hash in quotes. */
    public static String etag(ObjectNode export) {
        return "\"" + Versions.of(export) + "\"";
    }
}
