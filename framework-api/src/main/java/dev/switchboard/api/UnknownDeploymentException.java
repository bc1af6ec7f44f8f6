package dev.switchboard.api;

/** A call names a deployment (or model) that no configuration defines. */
public class UnknownDeploymentException extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    private final String deployment;

    /** @param deployment the unknown key or model reference */
    public UnknownDeploymentException(String deployment, String message) {
        super(message);
        this.deployment = deployment;
    }

    /** The unknown key or model reference. */
    public String deployment() {
        return deployment;
    }
}
