package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigException;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code gateway.panel} section, validated. Immutable and thread-safe.
 *
 * <pre>{@code
 * gateway:
 *   panel:
 *     enabled: true          # false: nothing is served under /ui
 *     session_idle: 30m      # a panel session ends after this long unused
 *     session_max_age: 12h   # and this long after sign-in in any case
 * }</pre>
 *
 * @param enabled       whether {@code /ui} is served
 * @param sessionIdle   idle timeout of a session
 * @param sessionMaxAge absolute lifetime of a session
 */
record PanelSettings(boolean enabled, Duration sessionIdle, Duration sessionMaxAge) {
    private static final Set<String> KNOWN = Set.of("enabled", "session_idle", "session_max_age");

    /** The defaults: enabled, 30 minutes idle, 12 hours at most. */
    static PanelSettings defaults() {
        return new PanelSettings(true, Duration.ofMinutes(30), Duration.ofHours(12));
    }

    /**
     * Reads {@code gateway.panel} from the {@code gateway} section.
     *
     * @throws ConfigException naming {@code gateway.panel.<key>}
     */
    static PanelSettings from(JsonNode gateway, String source) {
        JsonNode p = gateway == null ? null : gateway.get("panel");
        if (p == null || p.isNull()) {
            return defaults();
        }
        if (!p.isObject()) {
            throw new ConfigException(source, "gateway.panel", "must be an object such as {enabled: false}");
        }
        p.fieldNames().forEachRemaining(k -> {
            if (!KNOWN.contains(k)) {
                throw new ConfigException(source, "gateway.panel." + k, "is not a panel key (known: " + KNOWN + ")");
            }
        });
        JsonNode en = p.get("enabled");
        if (en != null && !en.isNull() && !en.isBoolean()) {
            throw new ConfigException(source, "gateway.panel.enabled", "must be true or false, found " + en);
        }
        PanelSettings d = defaults();
        return new PanelSettings(en == null || en.isNull() || en.booleanValue(),
                duration(p.get("session_idle"), source, "gateway.panel.session_idle", d.sessionIdle()),
                duration(p.get("session_max_age"), source, "gateway.panel.session_max_age", d.sessionMaxAge()));
    }

    private static Duration duration(JsonNode n, String source, String path, Duration dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        Duration d = GatewaySettings.parseDuration(n);
        if (d == null || d.isZero()) {
            throw new ConfigException(source, path, "must be a positive duration such as 30m or 12h, found " + n);
        }
        return d;
    }
}
