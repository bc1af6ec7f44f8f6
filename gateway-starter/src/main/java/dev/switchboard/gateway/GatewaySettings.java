package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ConfigException;
import dev.switchboard.runtime.config.SwitchboardConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code gateway:} section of the configuration, validated. Immutable and thread-safe.
 *
 * <pre>{@code
 * gateway:
 *   host: 127.0.0.1          # overridden by --host / GatewayOptions.host
 *   port: 8080               # overridden by --port / GatewayOptions.port
 *   max_body_bytes: 4194304  # larger request bodies get 413
 *   drain_timeout: 20s       # how long close() lets calls in flight finish
 *   idle_timeout: 60s        # closes keep-alive connections without traffic
 *   read_timeout: 30s        # closes connections that stall in the middle of a request
 *   keys: ["sha256:<hex>"]   # client API keys (bearer), as printed by --hash-key
 *   admin_keys: []           # keys of the admin endpoints, same format
 *   ingest_keys: []          # keys applications report calls and feedback with (/v2/logs/ingest, /v2/feedback) and nothing else
 * }</pre>
 *
 * @param host         the configured bind address, or null
 * @param port         the configured port, or null
 * @param maxBodyBytes the largest request body accepted
 * @param drainTimeout how long a graceful close waits for calls in flight
 * @param idleTimeout  how long an idle keep-alive connection stays open
 * @param readTimeout  how long a started request may stall before the connection is closed
 * @param keys         client API keys
 * @param adminKeys    admin API keys
 * @param ingestKeys   keys that may only report records and feedback
 */
record GatewaySettings(String host, Integer port, int maxBodyBytes, Duration drainTimeout, Duration idleTimeout,
                       Duration readTimeout, ApiKeys keys, ApiKeys adminKeys, ApiKeys ingestKeys) {
    static final int DEFAULT_MAX_BODY = 4 * 1024 * 1024;
    private static final Set<String> KNOWN = Set.of("host", "port", "max_body_bytes", "drain_timeout", "idle_timeout",
            "read_timeout", "keys", "admin_keys", "ingest_keys", "deployment_store", "panel", "call_log", "prices", "telemetry");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewaySettings.class);

    /**
     * Reads and validates the section.
     *
     * @throws ConfigException naming {@code gateway.<key>} and the problem
     */
    static GatewaySettings from(SwitchboardConfig config) {
        String source = String.join(" + ", config.sources());
        ObjectNode g = config.gateway();
        g.fieldNames().forEachRemaining(k -> {
            if (!KNOWN.contains(k)) {
                LOG.warn("{}: gateway.{} is not a key this gateway knows (known: {}); ignored", source, k, KNOWN);
            }
        });
        String host = text(g.get("host"), source, "gateway.host");
        Integer port = g.hasNonNull("port") ? integer(g.get("port"), source, "gateway.port", 0, 65535) : null;
        int maxBody = g.hasNonNull("max_body_bytes")
                ? integer(g.get("max_body_bytes"), source, "gateway.max_body_bytes", 1024, Integer.MAX_VALUE) : DEFAULT_MAX_BODY;
        return new GatewaySettings(host, port, maxBody,
                duration(g.get("drain_timeout"), source, "gateway.drain_timeout", Duration.ofSeconds(20)),
                positive(duration(g.get("idle_timeout"), source, "gateway.idle_timeout", Duration.ofSeconds(60)), source, "gateway.idle_timeout"),
                positive(duration(g.get("read_timeout"), source, "gateway.read_timeout", Duration.ofSeconds(30)), source, "gateway.read_timeout"),
                ApiKeys.of(hashes(g.get("keys"), source, "gateway.keys"), "gateway.keys"),
                ApiKeys.of(hashes(g.get("admin_keys"), source, "gateway.admin_keys"), "gateway.admin_keys"),
                ApiKeys.of(hashes(g.get("ingest_keys"), source, "gateway.ingest_keys"), "gateway.ingest_keys"));
    }

    private static String text(JsonNode n, String source, String path) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw new ConfigException(source, path, "must be a non-empty string");
        }
        return n.textValue().trim();
    }

    private static int integer(JsonNode n, String source, String path, int min, int max) {
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < min || n.intValue() > max) {
            throw new ConfigException(source, path, "must be a whole number between " + min + " and " + max + ", found " + n);
        }
        return n.intValue();
    }

    /** Parses {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h} or a number of seconds. */
    static Duration parseDuration(JsonNode n) {
        if (n.isNumber()) {
            double s = n.asDouble();
            return s < 0 || !Double.isFinite(s) ? null : Duration.ofMillis((long) (s * 1000));
        }
        Matcher m = n.isTextual() ? DURATION.matcher(n.textValue().trim().toLowerCase(Locale.ROOT)) : null;
        if (m == null || !m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis((long) ms);
    }

    private static Duration duration(JsonNode n, String source, String path, Duration dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        Duration d = parseDuration(n);
        if (d == null) {
            throw new ConfigException(source, path, "must be a duration such as 500ms, 20s or 2m, found " + n);
        }
        return d;
    }

    private static Duration positive(Duration d, String source, String path) {
        if (d.isZero()) {
            throw new ConfigException(source, path, "must be more than 0");
        }
        return d;
    }

    private static List<String> hashes(JsonNode n, String source, String path) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new ConfigException(source, path, "must be a list of sha256:<hex> key hashes (print one with --hash-key <key>)");
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode k = n.get(i);
            // Never echo the value: it may be a plain key pasted by mistake.
            if (!k.isTextual() || !ApiKeys.isHash(k.textValue())) {
                throw new ConfigException(source, path + "[" + i + "]",
                        "must be sha256:<64 hex digits>, as printed by `java -jar switchboard-gateway.jar --hash-key <key>`");
            }
            out.add(k.textValue());
        }
        return out;
    }
}
