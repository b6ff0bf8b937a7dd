package org.dldlage.inference;

/** The batcher did not accept an item: its queue is full, or it is shutting down. */
public class BatchRejectedException extends RuntimeException {

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

    public Reason reason() {
        return reason;
    }
}
