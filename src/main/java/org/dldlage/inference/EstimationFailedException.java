package org.dldlage.inference;

/** The model failed on a request's faces (not the caller's fault). */
public final class EstimationFailedException extends InferenceException {

    public EstimationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
