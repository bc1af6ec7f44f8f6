package dev.switchboard.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A set of API keys kept as SHA-256 hashes ({@code sha256:<hex>}). A presented key is hashed and compared
 * with every configured hash in constant time ({@link MessageDigest#isEqual}), so neither timing nor a
 * configuration dump reveals a key. Immutable and thread-safe.
 *
 * <pre>{@code
 * String line = ApiKeys.hash("sk-team-a");            // "sha256:5f1e…"
 * ApiKeys keys = ApiKeys.of(List.of(line), "gateway.keys");
 * keys.accepts("sk-team-a");                         // true
 * }</pre>
 */
final class ApiKeys {
    private static final String PREFIX = "sha256:";
    private final List<byte[]> hashes;
    private final String name;

    private ApiKeys(List<byte[]> hashes, String name) {
        this.hashes = hashes;
        this.name = name;
    }

    /**
     * @param hashes {@code sha256:<hex>} strings, already validated with {@link #isHash}
     * @param name   the configuration key they come from, for messages
     */
    static ApiKeys of(List<String> hashes, String name) {
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (String h : hashes) {
            out.add(HexFormat.of().parseHex(h.substring(PREFIX.length()).toLowerCase(Locale.ROOT)));
        }
        return new ApiKeys(List.copyOf(out), name);
    }

    /** Whether {@code s} is {@code sha256:} followed by 64 hex digits. */
    static boolean isHash(String s) {
        return s != null && s.startsWith(PREFIX) && s.length() == PREFIX.length() + 64
                && s.substring(PREFIX.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The configuration line for {@code key}: {@code sha256:} and the hex SHA-256 of its UTF-8 bytes. */
    static String hash(String key) {
        return PREFIX + HexFormat.of().formatHex(digest(key));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether no key is configured (then the gateway binds loopback only). */
    boolean isEmpty() {
        return hashes.isEmpty();
    }

    /** How many keys are configured. */
    int size() {
        return hashes.size();
    }

    /** The configuration key these come from. */
    String name() {
        return name;
    }

    /** Whether {@code presented} is one of the keys; compares every hash, in constant time each. */
    boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] h = digest(presented);
        boolean match = false;
        for (byte[] k : hashes) {
            match |= MessageDigest.isEqual(k, h);
        }
        return match;
    }
}
