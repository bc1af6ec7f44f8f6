package dev.switchboard.runtime.deploy;

import java.util.List;

/**
 * Where {@link ManagedConfig} finds versioned deployment definitions that replace the file configuration's
 * deployments of the same key: a {@link DeploymentStore} on a gateway, a {@link RemoteConfigSource} in an
 * application. Implementations must be thread-safe.
 */
public interface DeploymentSource extends AutoCloseable {

    /** What the definitions come from, for errors and status ({@code files:/var/sb}, {@code http://gw:8080}). */
    String name();

    /**
     * The current version of every deployment the source holds, by key order.
     *
     * @throws DeploymentStoreException when the source cannot be read now
     */
    List<DeploymentVersion> list();

    /**
     * Calls {@code listener} (from a background thread) whenever {@link #list()} may have changed: a publish
     * through this instance, another process's publish noticed by polling, a refreshed remote copy. Calls may
     * be spurious or coalesced; listeners must be quick and must not throw.
     *
     * @return closing it stops the calls
     */
    AutoCloseable subscribe(Runnable listener);

    /** The last problem reading the source (a failed poll or fetch), or null when the last read worked. */
    default String problem() {
        return null;
    }

    /** Stops background work and releases resources. Idempotent. */
    @Override
    void close();
}
