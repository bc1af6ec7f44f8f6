package dev.switchboard.runtime.deploy;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a {@link ManagedConfig} stands: the version it serves, the last successful load, and the last error
 * (an invalid edit, an invalid published definition, an unreadable store) while the previous configuration
 * keeps serving. Immutable and thread-safe.
 *
 * @param version        the version of the configuration in force
 * @param lastSuccess    when a load last succeeded (the start counts)
 * @param lastAttempt    when a load was last tried
 * @param lastError      why the last load failed, or null when it succeeded
 * @param deployments    the version of each deployment that comes from a deployment source ({@code v3})
 * @param sourceProblems the current problem of each deployment source that has one (a failed poll or fetch)
 */
public record ConfigStatus(String version, Instant lastSuccess, Instant lastAttempt, String lastError,
                           Map<String, String> deployments, Map<String, String> sourceProblems) {

    /** Copies maps. */
    public ConfigStatus {
        deployments = Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
        sourceProblems = Collections.unmodifiableMap(new LinkedHashMap<>(sourceProblems));
    }

    /** Whether the last load succeeded and every source could be read. */
    public boolean healthy() {
        return lastError == null && sourceProblems.isEmpty();
    }

    /** {@code ok}, or {@code error} when the last load failed, or {@code degraded} when only a source has a problem. */
    public String state() {
        return lastError != null ? "error" : sourceProblems.isEmpty() ? "ok" : "degraded";
    }
}
