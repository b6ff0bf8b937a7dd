package org.dldlage.inference;

/** The batcher did not accept an item: its queue is full, or it is shutting down. */
public final class BatchRejectedException extends InferenceException {

    public enum Reason {
        /** The queue holds its capacity: the caller should retry later. */
        QUEUE_FULL,
        /** The batcher is draining for shutdown and takes no new work. */
        CLOSED
    }

    private final Reason reason;

    public BatchRejectedException(Reason reason, int queued, int capacity) {
        super(reason == Reason.QUEUE_FULL
                ? "the inference queue is full (" + queued + " of " + capacity + " waiting)"
                : "the service is shutting down and takes no new work");
        this.reason = reason;
    }

    /** The pipeline holds as many requests as it may: the caller should retry later. */
    public static BatchRejectedException overloaded(int inFlight) {
        return new BatchRejectedException(inFlight);
    }

    private BatchRejectedException(int inFlight) {
        super("the service is busy with " + inFlight + " requests, its limit (age.limits.max-in-flight)");
        this.reason = Reason.QUEUE_FULL;
    }

    public Reason reason() {
        return reason;
    }
}
