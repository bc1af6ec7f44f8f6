package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.config.ConfigFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file of one version in a {@link FileDeploymentStore}: {@code <dir>/<key>/v0003.yaml}, a short comment,
 * the version's metadata and its definition. Hand-written files (git-ops) may leave out {@code key},
 * {@code version}, {@code created_at}, {@code author} and {@code message}: the path gives the first two, the
 * file's modification time the third. Stateless and thread-safe.
 *
 * <pre>
 * # Switchboard deployment 'support', version 3. Versions are immutable: publish a new one instead of editing.
 * key: support
 * version: 3
 * created_at: "2025-05-01T10:00:00Z"
 * author: alice
 * message: shorter answers
 * definition:
 *   model: openai/gpt-4o-mini
 * </pre>
 */
final class VersionFiles {
    private static final Pattern NAME = Pattern.compile("v(\\d{1,9})\\.ya?ml");
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private VersionFiles() {
    }

    /** The file name of version {@code n}: {@code v0003.yaml}. */
    static String fileName(int n) {
        return String.format("v%04d.yaml", n);
    }

    /** The version number of a file name, or -1 when it is not a version file. */
    static int number(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The text of {@code v}'s file. */
    static String write(DeploymentVersion v) {
        ObjectNode doc = YAML.createObjectNode().put("key", v.key()).put("version", v.number())
                .put("created_at", v.createdAt().toString()).put("author", v.author()).put("message", v.message());
        doc.set("definition", v.definition());
        try {
            return "# Switchboard deployment '" + v.key() + "', version " + v.number()
                    + ". Versions are immutable: publish a new one instead of editing.\n" + YAML.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    /**
     * Reads the version file {@code file} of deployment {@code key}.
     *
     * @throws DeploymentStoreException naming the file when it cannot be read, does not parse, or contradicts its path
     */
    static DeploymentVersion read(Path file, String key) {
        int n = number(file);
        try {
            ObjectNode doc = ConfigFiles.parse(file.toString(), Files.readString(file));
            if (doc.hasNonNull("key") && !doc.get("key").asText().equals(key)) {
                throw new DeploymentStoreException(file + ": key is '" + doc.get("key").asText() + "' but the file is under '" + key + "'", null);
            }
            if (doc.hasNonNull("version") && doc.get("version").asInt() != n) {
                throw new DeploymentStoreException(file + ": version is " + doc.get("version") + " but the file name says " + n, null);
            }
            JsonNode def = doc.get("definition");
            if (def == null || !def.isObject()) {
                throw new DeploymentStoreException(file + ": definition must be a mapping (the keys of deployments." + key + ")", null);
            }
            Instant at = doc.hasNonNull("created_at") ? Instant.parse(doc.get("created_at").asText())
                    : Files.getLastModifiedTime(file).toInstant();
            return DeploymentVersion.builder(key, n).createdAt(at)
                    .author(doc.hasNonNull("author") ? doc.get("author").asText() : "file")
                    .message(doc.path("message").asText("")).definition((ObjectNode) def).build();
        } catch (IOException | ConfigException | DateTimeParseException e) {
            throw new DeploymentStoreException(file + ": cannot read the version: " + e.getMessage(), e);
        }
    }
}
