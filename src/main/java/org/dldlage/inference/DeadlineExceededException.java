package org.dldlage.inference;

/** An item's deadline passed before its result was ready; it was not (or no longer) computed. */
public class DeadlineExceededException extends RuntimeException {

    public DeadlineExceededException(long waitedMillis) {
        super("the request's deadline passed after " + waitedMillis + " ms before its faces were estimated");
    }
}
