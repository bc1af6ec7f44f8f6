package dev.switchboard.runtime.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Built-in {@link ConfigSource}s for YAML/JSON files and classpath resources. Thread-safe. */
public final class ConfigFiles {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    private ConfigFiles() {
    }

    /** A file (YAML or JSON) that must exist. */
    public static ConfigSource file(Path path) {
        String name = path.toString();
        return ConfigSource.of(name, () -> {
            try {
                return Optional.of(parse(name, Files.readString(path)));
            } catch (NoSuchFileException e) {
                throw new ConfigException(name, "", "file not found");
            } catch (IOException e) {
                throw new ConfigException(name, "", "cannot read: " + e.getMessage());
            }
        });
    }

    /** A classpath resource that may be absent. */
    public static ConfigSource classpath(String resource, ClassLoader loader) {
        String name = "classpath:" + resource;
        return ConfigSource.of(name, () -> {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return Optional.empty();
                }
                return Optional.of(parse(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new ConfigException(name, "", "cannot read: " + e.getMessage());
            }
        });
    }

    /** A fixed tree (for tests and programmatic configuration). */
    public static ConfigSource tree(String name, ObjectNode tree) {
        return ConfigSource.of(name, () -> Optional.of(tree.deepCopy()));
    }

    /** YAML or JSON text (for tests and embedded defaults). */
    public static ConfigSource text(String name, String yamlOrJson) {
        return ConfigSource.of(name, () -> Optional.of(parse(name, yamlOrJson)));
    }

    /**
     * Parses YAML (a superset of JSON) text into an object tree.
     *
     * @throws ConfigException naming the source, line and column when it does not parse or is not a mapping
     */
    public static ObjectNode parse(String source, String text) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
            String msg = e instanceof JsonParseException ? e.getOriginalMessage() : e.getOriginalMessage();
            throw new ConfigException(source, "", "does not parse: " + where + msg);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return YAML.createObjectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(source, "", "the document must be a mapping with keys providers, deployments, gateway");
        }
        return (ObjectNode) node;
    }
}
