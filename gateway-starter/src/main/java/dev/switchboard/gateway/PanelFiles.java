package dev.switchboard.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The panel's static files, read from the class path: {@code /ui/<path>} is the resource {@code ui/<path>}
 * and {@code /ui/webjars/<name>/<version>/<path>} is {@code META-INF/resources/webjars/<name>/<version>/<path>}
 * of a WebJar on the class path. Only paths made of plain segments ({@code [A-Za-z0-9._-]}, no {@code .} or
 * {@code ..}, no empty segment) that end in a known file extension are looked up, so no request can reach
 * another resource, a directory listing or a file outside these two roots.
 *
 * <pre>{@code
 * PanelFiles files = new PanelFiles(getClass().getClassLoader());
 * files.find("app.js");                              // Optional[Asset text/javascript, etag "…"]
 * files.find("webjars/uplot/1.6.30/dist/uPlot.esm.js");
 * files.find("../switchboard-default.yaml");        // Optional.empty()
 * }</pre>
 *
 * Files found are cached once read (they cannot change inside a jar); misses are not. Thread-safe.
 */
final class PanelFiles {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final int MAX_PATH = 300;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));
    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /**
     * One file.
     *
     * @param bytes       the content
     * @param contentType its media type
     * @param etag        a strong validator: the quoted hex SHA-256 prefix of the content
     * @param immutable   whether its URL is versioned (WebJars), so it may be cached for a year
     */
    record Asset(byte[] bytes, String contentType, String etag, boolean immutable) {
    }

    PanelFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file at {@code path} (relative to {@code /ui/}, already URL-decoded), or empty. */
    Optional<Asset> find(String path) {
        String type = contentType(path);
        if (type == null) {
            return Optional.empty();
        }
        Asset hit = cache.get(path);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<Asset> a = load(path, type); // misses are not cached: unknown paths must not fill memory
        a.ifPresent(x -> cache.put(path, x));
        return a;
    }

    /** The content type for a safe path with a known extension; null for anything else. */
    static String contentType(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
            return null;
        }
        for (String seg : path.split("/", -1)) {
            if (!SEGMENT.matcher(seg).matches() || seg.equals("..") || seg.startsWith(".")) {
                return null;
            }
        }
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot <= slash + 1 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private Optional<Asset> load(String path, String type) {
        boolean webjar = path.startsWith("webjars/");
        String resource = webjar ? "META-INF/resources/" + path : "ui/" + path;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, type, etag(bytes), webjar));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
