package org.dldlage.inference;

/** The service cannot take work now: the model is still loading, or the service is shutting down. */
public final class NotReadyException extends InferenceException {

    private final boolean draining;

    public NotReadyException(boolean draining) {
        this(draining, null);
    }

    /** @param message null for the standard one */
    public NotReadyException(boolean draining, String message) {
        super(message != null ? message : draining ? "the service is shutting down and takes no new work"
                : "the model is still loading; retry when /actuator/health/readiness is UP");
        this.draining = draining;
    }

    public boolean draining() {
        return draining;
    }
}
