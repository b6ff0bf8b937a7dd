package org.dldlage.inference;

import java.time.Instant;

/**
 * A model's inference worker died of an {@link Error} escaping a forward pass (an OutOfMemoryError,
 * say): the faces waiting for it failed with it. The worker restarts unless it keeps dying.
 */
public final class WorkerDiedException extends InferenceException {

    private final boolean restarting;
    private final Instant at;

    /** @param message one line: which worker, of what, and whether it restarts */
    public WorkerDiedException(String message, Throwable error, boolean restarting) {
        super(message, error);
        this.restarting = restarting;
        this.at = Instant.now();
    }

    /** True while the worker is about to be restarted; false when it stays down. */
    public boolean restarting() {
        return restarting;
    }

    /** When the worker died. */
    public Instant at() {
        return at;
    }
}
