package org.dldlage.inference;

/**
 * Why the pipeline did not answer a request: the one family of failures {@code api} maps to problem
 * answers. Each kind is its own class, so a caller handles what it can and the compiler knows the rest.
 */
public abstract sealed class InferenceException extends RuntimeException
        permits AlignUnavailableException, BatchRejectedException, DeadlineExceededException, EstimationFailedException,
        ImageRejectedException, InvalidOptionException, ModelFailedException, NotReadyException, UnknownModelException,
        WorkerDiedException {

    protected InferenceException(String message) {
        super(message);
    }

    protected InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
