package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The last-known-good copy of a gateway's export on disk, for {@link RemoteConfigSource}: written atomically
 * after every accepted export, read at start-up when the gateway cannot be reached. Holds deployment
 * definitions only, never credentials. Stateless and thread-safe.
 *
 * <pre>{"source": "http://gw:8080", "etag": "\"3f2a…\"", "saved_at": "…", "export": {"deployments": {…}}}</pre>
 */
final class LastKnownGood {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LastKnownGood() {
    }

    /** What a file holds. */
    record Copy(List<DeploymentVersion> versions, String etag, Instant savedAt) {
    }

    static void save(Path file, String source, String etag, ObjectNode export) throws IOException {
        ObjectNode doc = JSON.createObjectNode().put("source", source).put("etag", etag).put("saved_at", Instant.now().toString());
        doc.set("export", export);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException when it cannot be read or is not such a copy
     */
    static Copy read(Path file) throws IOException {
        JsonNode doc = JSON.readTree(Files.readString(file));
        try {
            Instant at = doc.hasNonNull("saved_at") ? Instant.parse(doc.get("saved_at").asText()) : Instant.EPOCH;
            return new Copy(DeploymentJson.readExport(doc.get("export")), doc.path("etag").asText(null), at);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a last-known-good copy: " + e.getMessage(), e);
        }
    }
}
