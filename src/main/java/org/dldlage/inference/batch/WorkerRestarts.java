package org.dldlage.inference.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import org.dldlage.inference.WorkerDiedException;

/**
 * How a batcher restarts its worker after it died of an {@link Error} escaping a batch: after
 * {@code delay}, at most {@code limit} times within {@code window}. One more death within the window
 * leaves it down, rather than spinning on a model that fails every time.
 */
public record WorkerRestarts(int limit, Duration window, Duration delay) {

    public WorkerRestarts {
        if (limit < 0 || window.isNegative() || window.isZero() || delay.isNegative()) {
            throw new IllegalArgumentException("the restart limit and delay must be ≥ 0 and the window > 0");
        }
    }

    /** At most 3 restarts a minute, each after {@code delay}. */
    public static WorkerRestarts after(Duration delay) {
        return new WorkerRestarts(3, Duration.ofMinutes(1), delay);
    }

    /** One worker's deaths under this policy: the failure its waiting items get, and whether it restarts. */
    static final class Deaths {
        private final String worker;
        private final WorkerRestarts policy;
        private final ArrayDeque<Long> times = new ArrayDeque<>();
        private volatile WorkerDiedException down;
        private volatile WorkerDiedException last;

        Deaths(String worker, WorkerRestarts policy) {
            this.worker = worker;
            this.policy = policy;
        }

        /** Counts a death now; the failure it returns says whether the worker restarts (never while closing). */
        synchronized WorkerDiedException died(Throwable error, boolean closing) {
            long now = System.nanoTime();
            times.addLast(now);
            while (now - times.peekFirst() > policy.window.toNanos()) {
                times.removeFirst();
            }
            boolean restart = !closing && times.size() <= policy.limit;
            String next = restart ? "; it restarts in " + policy.delay.toMillis() + " ms, retry then"
                    : closing ? "" : "; it died " + times.size() + " times within " + policy.window.toSeconds() + " s and stays down";
            String what = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            down = new WorkerDiedException("the inference worker of " + worker + " died (" + what + ")" + next, error, restart);
            last = down;
            return down;
        }

        void restarted() {
            down = null;
        }

        /** Set while the worker is down. */
        WorkerDiedException down() {
            return down;
        }

        /** The last death, kept after a restart. */
        WorkerDiedException last() {
            return last;
        }
    }
}
