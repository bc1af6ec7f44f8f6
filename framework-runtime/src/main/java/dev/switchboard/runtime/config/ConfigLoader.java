package dev.switchboard.runtime.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads configuration: reads every {@link ConfigSource} low to high, interpolates each source's
 * {@code ${ENV}} references (so errors name the right file), merges, then parses and validates.
 * Thread-safe; each {@link #load()} reads the sources again.
 */
public final class ConfigLoader {
    private final List<ConfigSource> sources;
    private final Interpolator interpolator;

    /**
     * @param sources sources, lowest first
     * @param lookup  variable lookup for {@code ${NAME}} (environment, then system properties)
     */
    public ConfigLoader(List<ConfigSource> sources, Function<String, String> lookup) {
        this.sources = List.copyOf(sources);
        this.interpolator = new Interpolator(lookup);
    }

    /** Loads, merges and validates. @throws dev.switchboard.api.ConfigException naming source, path and problem */
    public SwitchboardConfig load() {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        List<String> used = new ArrayList<>();
        String last = "defaults";
        for (ConfigSource source : sources) {
            Optional<ObjectNode> tree = source.load();
            if (tree.isPresent()) {
                ObjectNode t = tree.get();
                interpolator.apply(source.name(), t);
                // Validate each file on its own first so an error names the file it is in.
                new ConfigParser(source.name()).parse(TreeMerger.merge(merged.deepCopy(), t), used);
                TreeMerger.merge(merged, t);
                used.add(source.name());
                last = source.name();
            }
        }
        return new ConfigParser(used.size() == 1 ? last : String.join(" + ", used.isEmpty() ? List.of("defaults") : used)).parse(merged, used);
    }
}
