package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigException;
import dev.switchboard.gateway.logs.CallLogSettings;
import dev.switchboard.runtime.telemetry.TelemetryOptions;
import java.util.Set;

/**
 * The {@code gateway.telemetry} section: how the gateway's calls are reported to OpenTelemetry when the gateway
 * configures OpenTelemetry itself (a host that gives its own instance also gives its own options).
 *
 * <pre>
 * gateway:
 *   telemetry:
 *     capture_content: false   # request and reply messages on the call spans (gen_ai.input.messages /
 *                              # gen_ai.output.messages); off by default: they may hold personal data
 * </pre>
 *
 * @param captureContent whether message contents go on spans
 */
record TelemetrySettings(boolean captureContent) {
    private static final Set<String> KEYS = Set.of("capture_content");

    /** The engine's telemetry options for these settings. */
    TelemetryOptions options() {
        return TelemetryOptions.defaults().withCaptureContent(captureContent);
    }

    /**
     * Reads the section from the {@code gateway:} node.
     *
     * @throws ConfigException naming {@code gateway.telemetry.<key>} and the problem
     */
    static TelemetrySettings from(JsonNode gateway, String source) {
        String path = "gateway.telemetry";
        JsonNode t = gateway == null ? null : gateway.get("telemetry");
        if (t == null || t.isNull()) {
            return new TelemetrySettings(false);
        }
        if (!t.isObject()) {
            throw new ConfigException(source, path, "must be a mapping such as {capture_content: false}");
        }
        t.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new ConfigException(source, path + "." + k, "unknown key (known: " + KEYS + ")");
            }
        });
        return new TelemetrySettings(CallLogSettings.bool(t.get("capture_content"), source, path + ".capture_content", false));
    }
}
