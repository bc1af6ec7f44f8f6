package dev.switchboard.runtime.proxy;

import java.util.AbstractMap;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * A small read-only map over a method's named arguments, without hashing or copying: names are
 * shared per method, values are the call's arguments. Absent (null) values are treated as missing.
 * Not for modification; thread-safe as long as the argument array is not changed.
 */
final class ArgumentMap extends AbstractMap<String, Object> {
    private final String[] names;
    private final int[] positions;
    private final Object[] args;

    ArgumentMap(String[] names, int[] positions, Object[] args) {
        this.names = names;
        this.positions = positions;
        this.args = args;
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return args[positions[i]];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        for (int i = 0; i < names.length; i++) {
            Object v = args[positions[i]];
            if (v != null) {
                out.add(new SimpleImmutableEntry<>(names[i], v));
            }
        }
        return out;
    }
}
