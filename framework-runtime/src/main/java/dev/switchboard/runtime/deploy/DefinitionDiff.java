package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A structured difference between two deployment definitions: every key path that was added, removed or
 * changed, with its old and new values. Mappings are compared key by key and lists element by element
 * (by index), so a changed message shows as {@code variants.main.messages[0].content}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * DefinitionDiff d = DefinitionDiff.between(v1.definition(), v2.definition());
 * for (DefinitionDiff.Change c : d.changes()) {
 *     System.out.println(c.kind() + " " + c.path() + ": " + c.oldValue() + " -> " + c.newValue());
 * }
 * }</pre>
 *
 * @param changes the changes, in the order of the paths in the definitions (old keys first, then new ones)
 */
public record DefinitionDiff(List<Change> changes) {

    /** What happened at a path. */
    public enum Kind {
        /** The path exists only in the newer definition. */
        ADDED,
        /** The path exists only in the older definition. */
        REMOVED,
        /** The path exists in both with different values. */
        CHANGED;

        /** The lower-case name used in JSON ({@code added}, {@code removed}, {@code changed}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One difference.
     *
     * @param path     the key path, dotted with {@code [i]} for list elements ({@code variants.main.model})
     * @param kind     added, removed or changed
     * @param oldValue the older value, or a missing node when added
     * @param newValue the newer value, or a missing node when removed
     */
    public record Change(String path, Kind kind, JsonNode oldValue, JsonNode newValue) {
        /** Checks arguments; copies the values. */
        public Change {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            oldValue = oldValue == null ? MissingNode.getInstance() : oldValue.deepCopy();
            newValue = newValue == null ? MissingNode.getInstance() : newValue.deepCopy();
        }
    }

    /** Copies the list. */
    public DefinitionDiff {
        changes = List.copyOf(changes);
    }

    /** The differences from {@code older} to {@code newer} (either may be null: everything added or removed). */
    public static DefinitionDiff between(JsonNode older, JsonNode newer) {
        List<Change> out = new ArrayList<>();
        walk("", older == null ? MissingNode.getInstance() : older, newer == null ? MissingNode.getInstance() : newer, out);
        return new DefinitionDiff(out);
    }

    /** Whether the definitions are equal. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The changes of one kind. */
    public List<Change> of(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).toList();
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isMissingNode()) {
            out.add(new Change(path, Kind.ADDED, a, b));
        } else if (b.isMissingNode()) {
            out.add(new Change(path, Kind.REMOVED, a, b));
        } else if (a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            for (String k : keys) {
                walk(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k), out);
            }
        } else if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                walk(path + "[" + i + "]", a.path(i), b.path(i), out);
            }
        } else {
            out.add(new Change(path, Kind.CHANGED, a, b));
        }
    }
}
