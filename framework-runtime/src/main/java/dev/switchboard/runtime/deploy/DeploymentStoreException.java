package dev.switchboard.runtime.deploy;

import dev.switchboard.api.SwitchboardException;

/**
 * A deployment store or source cannot be read or written now (a file system or database error, a
 * version that does not exist). Invalid definitions are reported as
 * {@link dev.switchboard.api.ConfigException} instead.
 */
public class DeploymentStoreException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final boolean notFound;

    /** A failure with its cause. */
    public DeploymentStoreException(String message, Throwable cause) {
        super(message, cause);
        this.notFound = false;
    }

    private DeploymentStoreException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    /** A deployment or version that does not exist. */
    public static DeploymentStoreException notFound(String message) {
        return new DeploymentStoreException(message, true);
    }

    /** Whether the failure is a missing deployment or version (rather than an I/O problem). */
    public boolean isNotFound() {
        return notFound;
    }
}
