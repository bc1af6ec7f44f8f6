package dev.switchboard.runtime.deploy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Listeners of a {@link DeploymentSource}, called in order; a failing listener does not stop the others. Thread-safe. */
final class ChangeListeners {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChangeListeners.class);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(Runnable listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    void fire() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("a deployment change listener failed: {}", e.toString());
            }
        }
    }
}
