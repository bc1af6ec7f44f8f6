package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Versioned deployment definitions: every publish creates a new immutable version ({@code v1, v2, …})
 * with its time, author and message; nothing is ever overwritten or deleted, so any earlier version can be
 * read, compared and restored. A gateway serves the current version of each deployment (through
 * {@link ManagedConfig}, where the store wins over the file configuration for the keys it holds).
 *
 * <pre>{@code
 * DeploymentStore store = FileDeploymentStore.builder(Path.of("deployments"))
 *     .validator(DefinitionValidator.against(() -> engine.config().providers().keySet())).build();
 * DeploymentVersion v2 = store.publish("support", definition, "alice", "shorter answers");
 * store.rollback("support", 1, "bob");          // v3, a copy of v1
 * store.diff("support", 1, 2).changes();        // what v2 changed
 * }</pre>
 *
 * <p>Contract for implementations: {@link #publish} validates the definition with the store's
 * {@link DefinitionValidator} before anything is written and stores nothing when it fails; version numbers of
 * one key are consecutive from 1 and never reused, even when several publishers (threads, processes,
 * gateways) publish at once; versions read back equal what was published. Built-in: {@link FileDeploymentStore}
 * (a directory, one file per version, git-friendly) and {@link JdbcDeploymentStore} (PostgreSQL, shared by
 * several gateways). Implementations are thread-safe.
 */
public interface DeploymentStore extends DeploymentSource {

    /**
     * Every version of {@code key}, oldest first; empty when the store does not hold it.
     *
     * @throws DeploymentStoreException when the store cannot be read
     */
    List<DeploymentVersion> history(String key);

    /**
     * Version {@code number} of {@code key}, if it exists.
     *
     * @throws DeploymentStoreException when the store cannot be read
     */
    Optional<DeploymentVersion> version(String key, int number);

    /** The current (latest) version of {@code key}, if the store holds it. */
    default Optional<DeploymentVersion> current(String key) {
        List<DeploymentVersion> h = history(key);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
    }

    /**
     * Validates {@code definition} (the tree under {@code deployments.<key>} in {@code switchboard.yaml}) and
     * stores it as the next version of {@code key}.
     *
     * @return the new version
     * @throws dev.switchboard.api.ConfigException naming the key path in the definition when it is invalid
     *                                             (nothing is stored)
     * @throws DeploymentStoreException            when the store cannot be written
     */
    DeploymentVersion publish(String key, ObjectNode definition, String author, String message);

    /**
     * Publishes a copy of version {@code number} as the next version: earlier versions stay as they were.
     *
     * @return the new version
     * @throws DeploymentStoreException            when that version does not exist ({@link DeploymentStoreException#isNotFound()})
     * @throws dev.switchboard.api.ConfigException when the old definition is no longer valid (a provider it
     *                                             names was removed, for example)
     */
    default DeploymentVersion rollback(String key, int number, String author) {
        DeploymentVersion old = version(key, number).orElseThrow(() -> DeploymentStoreException.notFound(
                "deployment '" + key + "' has no version " + DeploymentVersion.label(number)));
        return publish(key, old.definition(), author, "rollback to " + old.label());
    }

    /**
     * What changed from version {@code from} to version {@code to} of {@code key}.
     *
     * @throws DeploymentStoreException when either version does not exist
     */
    default DefinitionDiff diff(String key, int from, int to) {
        DeploymentVersion a = version(key, from).orElseThrow(() -> DeploymentStoreException.notFound(
                "deployment '" + key + "' has no version " + DeploymentVersion.label(from)));
        DeploymentVersion b = version(key, to).orElseThrow(() -> DeploymentStoreException.notFound(
                "deployment '" + key + "' has no version " + DeploymentVersion.label(to)));
        return DefinitionDiff.between(a.definition(), b.definition());
    }
}
