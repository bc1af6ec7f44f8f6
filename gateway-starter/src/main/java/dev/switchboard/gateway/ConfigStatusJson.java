package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.deploy.ConfigStatus;

/**
 * Adds a {@link ConfigStatus} to the {@code config} object of {@code GET /health}: {@code status} becomes
 * {@code loaded}, {@code error} (the last reload failed; the previous configuration keeps serving) or
 * {@code degraded} (a deployment source cannot be read), with the last success, the last error and the
 * version of each deployment from the deployment store. Stateless and thread-safe.
 */
final class ConfigStatusJson {
    private ConfigStatusJson() {
    }

    /** Writes {@code s} into {@code config}; messages go through {@code redactor} (the endpoint needs no key). */
    static void write(ConfigStatus s, ObjectNode config, Redactor redactor) {
        config.put("status", s.lastError() != null ? "error" : s.sourceProblems().isEmpty() ? "loaded" : "degraded");
        config.put("last_success", s.lastSuccess().toString()).put("last_attempt", s.lastAttempt().toString());
        config.put("last_error", s.lastError() == null ? null : redactor.apply(s.lastError()));
        if (!s.deployments().isEmpty()) {
            ObjectNode d = config.putObject("deployment_versions");
            s.deployments().forEach(d::put);
        }
        if (!s.sourceProblems().isEmpty()) {
            ObjectNode p = config.putObject("source_problems");
            s.sourceProblems().forEach((k, v) -> p.put(k, redactor.apply(v)));
        }
    }
}
