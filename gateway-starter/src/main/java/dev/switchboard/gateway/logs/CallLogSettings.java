package dev.switchboard.gateway.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.calllog.PriceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The gateway's {@code gateway.call_log} and {@code gateway.prices} sections, validated. Immutable and thread-safe.
 *
 * <pre>{@code
 * gateway:
 *   call_log:
 *     enabled: true                 # default true
 *     url: "jdbc:sqlite:./data/switchboard-logs.db"   # the default; or jdbc:postgresql://db:5432/sb, jdbc:h2:file:…
 *     user: sb
 *     password: "${DB_PASSWORD}"
 *     pool_size: 4                  # connections: the writer, queries, retention
 *     capture_content: true         # request messages and reply in records (default true)
 *     redact: ['\bACC-\d{8}\b']     # more redaction rules (matches become [REDACTED])
 *     queue_capacity: 10000         # records waiting to be written; more are dropped and counted
 *     retention: 30d                # delete older calls (default 30d; "off" keeps everything)
 *   prices:
 *     gpt-4o: { input: 2.25, output: 9.00, cached_input: 1.125 }
 * }</pre>
 *
 * @param enabled        whether calls are logged
 * @param url            the JDBC URL
 * @param user           the database user, or null
 * @param password       the database password, or null
 * @param poolSize       the connection pool's size
 * @param captureContent whether request messages and replies are logged
 * @param redact         extra redaction rules (regular expressions)
 * @param queueCapacity  the writer's queue capacity
 * @param retention      how long calls are kept; null for ever
 * @param prices         the default price table overridden by {@code gateway.prices}
 */
public record CallLogSettings(boolean enabled, String url, String user, String password, int poolSize, boolean captureContent,
                              List<String> redact, int queueCapacity, Duration retention, PriceTable prices) {
    /** The default JDBC URL: a SQLite database file under {@code ./data}. */
    public static final String DEFAULT_URL = "jdbc:sqlite:./data/switchboard-logs.db";
    private static final Set<String> KEYS = Set.of("enabled", "url", "user", "password", "pool_size", "capture_content", "redact",
            "queue_capacity", "retention");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    /** Copies the rules. */
    public CallLogSettings {
        redact = List.copyOf(redact);
    }

    /** The settings, the password masked. */
    @Override
    public String toString() {
        return "CallLogSettings[enabled=" + enabled + ", url=" + url + ", user=" + user + ", password=" + (password == null ? null : "****")
                + ", poolSize=" + poolSize + ", captureContent=" + captureContent + ", redact=" + redact + ", queueCapacity=" + queueCapacity
                + ", retention=" + retention + "]";
    }

    /**
     * Reads the sections from the {@code gateway:} node.
     *
     * @throws ConfigException naming {@code gateway.call_log.<key>} or {@code gateway.prices} and the problem
     */
    public static CallLogSettings from(JsonNode gateway, String source) {
        JsonNode s = gateway == null ? null : gateway.get("call_log");
        String path = "gateway.call_log";
        if (s != null && !s.isNull() && !s.isObject()) {
            throw new ConfigException(source, path, "must be a mapping such as {enabled: true, url: \"jdbc:…\"}");
        }
        if (s == null || s.isNull()) {
            s = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        s.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new ConfigException(source, path + "." + k, "unknown key (known: " + KEYS + ")");
            }
        });
        String url = text(s.get("url"), source, path + ".url", DEFAULT_URL);
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(source, path + ".url",
                    "must be a SQLite (jdbc:sqlite:…), H2 (jdbc:h2:…) or PostgreSQL (jdbc:postgresql://…) JDBC URL");
        }
        List<String> redact = new ArrayList<>();
        JsonNode r = s.get("redact");
        if (r != null && !r.isNull()) {
            if (!r.isArray()) {
                throw new ConfigException(source, path + ".redact", "must be a list of regular expressions");
            }
            for (int i = 0; i < r.size(); i++) {
                String rx = text(r.get(i), source, path + ".redact[" + i + "]", null);
                try {
                    Pattern.compile(rx);
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(source, path + ".redact[" + i + "]", "is not a valid regular expression: " + e.getDescription());
                }
                redact.add(rx);
            }
        }
        return new CallLogSettings(bool(s.get("enabled"), source, path + ".enabled", true), url,
                text(s.get("user"), source, path + ".user", null), text(s.get("password"), source, path + ".password", null),
                integer(s.get("pool_size"), source, path + ".pool_size", 2, 64, 4),
                bool(s.get("capture_content"), source, path + ".capture_content", true), redact,
                integer(s.get("queue_capacity"), source, path + ".queue_capacity", 1, 10_000_000, 10_000),
                retention(s.get("retention"), source, path + ".retention"), prices(gateway, source));
    }

    private static PriceTable prices(JsonNode gateway, String source) {
        JsonNode p = gateway == null ? null : gateway.get("prices");
        if (p == null || p.isNull()) {
            return PriceTable.defaults();
        }
        if (!p.isObject()) {
            throw new ConfigException(source, "gateway.prices", "must be a mapping of model to {input, output, cached_input} (USD per 1M tokens)");
        }
        try {
            return PriceTable.defaults().overriddenBy(PriceTable.fromNode(p));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, "gateway.prices", e.getMessage());
        }
    }

    private static String text(JsonNode n, String source, String path, String dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw new ConfigException(source, path, "must be a non-empty string");
        }
        return n.asText();
    }

    /**
     * A true/false setting of the {@code gateway:} section at {@code path}: {@code dflt} when absent; a boolean or the
     * text {@code true}/{@code false} (overrides from {@code -D} and the environment are text).
     *
     * @throws ConfigException naming {@code path} for anything else
     */
    public static boolean bool(JsonNode n, String source, String path, boolean dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        String t = n.asText().trim().toLowerCase(Locale.ROOT); // overrides from -D and the environment are text
        if (n.isBoolean() || t.equals("true") || t.equals("false")) {
            return n.isBoolean() ? n.booleanValue() : t.equals("true");
        }
        throw new ConfigException(source, path, "must be true or false, found " + n);
    }

    private static int integer(JsonNode n, String source, String path, int min, int max, int dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(n.asText().trim());
            if (v >= min && v <= max && (n.isIntegralNumber() || n.isTextual())) {
                return (int) v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(source, path, "must be a whole number between " + min + " and " + max + ", found " + n);
    }

    private static Duration retention(JsonNode n, String source, String path) {
        if (n == null || n.isNull()) {
            return Duration.ofDays(30);
        }
        String t = n.asText().trim().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("0") || n.isBoolean() && !n.booleanValue()) {
            return null;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new ConfigException(source, path, "must be a duration such as 30d, 12h or 90m, or off; found " + n);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds = switch (unit) {
            case "ms" -> v / 1000;
            case "m" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86_400;
            default -> v;
        };
        if (seconds < 60) {
            throw new ConfigException(source, path, "must be at least a minute, found " + n);
        }
        return Duration.ofSeconds((long) seconds);
    }
}
