package org.dldlage.inference;

/** An item's deadline passed before its result was ready; it was not (or no longer) computed. */
public final class DeadlineExceededException extends InferenceException {

    public DeadlineExceededException(long waitedMillis) {
        super("the request's deadline passed after " + waitedMillis + " ms before its faces were estimated");
    }
}
