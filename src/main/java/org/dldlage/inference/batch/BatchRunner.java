package org.dldlage.inference.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dldlage.inference.DeadlineExceededException;

/**
 * Runs one formed batch on the worker thread: skips the items whose caller gave up or whose deadline
 * passed, calls the function once, and retries a failed batch item by item so one bad input fails
 * only its own future. An {@link Error} other than a {@link LinkageError} escapes: the worker dies of it.
 */
final class BatchRunner<I, O> {

    private final MicroBatcher.BatchFunction<I, O> function;
    private final MicroBatcher.Listener listener;
    private final int maxBatchSize;

    BatchRunner(MicroBatcher.BatchFunction<I, O> function, MicroBatcher.Listener listener, int maxBatchSize) {
        this.function = function;
        this.listener = listener;
        this.maxBatchSize = maxBatchSize;
    }

    void run(List<Job<I, O>> batch) {
        long start = System.nanoTime();
        List<Job<I, O>> live = new ArrayList<>(batch.size());
        for (Job<I, O> job : batch) {
            if (job.future.isDone()) {
                continue; // cancelled by its caller or by a rejected sibling
            }
            if (start - job.deadlineNanos > 0) {
                listener.expired();
                job.future.completeExceptionally(new DeadlineExceededException(
                        TimeUnit.NANOSECONDS.toMillis(start - job.submittedNanos)));
                continue;
            }
            live.add(job);
        }
        if (live.isEmpty()) {
            return;
        }
        for (Job<I, O> job : live) {
            listener.queueWaited(start - job.submittedNanos);
        }
        try {
            complete(live, start);
        } catch (Exception | LinkageError e) {
            if (live.size() == 1) {
                live.get(0).future.completeExceptionally(e);
                return;
            }
            for (Job<I, O> job : live) { // one bad input must fail only its own item
                try {
                    complete(List.of(job), System.nanoTime());
                } catch (Exception | LinkageError single) {
                    job.future.completeExceptionally(single);
                }
            }
        }
    }

    private void complete(List<Job<I, O>> jobs, long start) throws Exception {
        List<I> inputs = new ArrayList<>(jobs.size());
        jobs.forEach(j -> inputs.add(j.input));
        List<O> outputs = function.apply(inputs);
        long nanos = System.nanoTime() - start;
        if (outputs == null || outputs.size() != inputs.size()) {
            throw new IllegalStateException("batch function returned " + (outputs == null ? "null" : outputs.size())
                    + " results for " + inputs.size() + " inputs");
        }
        listener.batchCompleted(jobs.size(), maxBatchSize, nanos);
        for (int i = 0; i < jobs.size(); i++) {
            Job<I, O> job = jobs.get(i);
            job.future.complete(new MicroBatcher.Completed<>(outputs.get(i), start - job.submittedNanos, nanos, jobs.size()));
        }
    }

    /** One queued item and its caller's future. */
    static final class Job<I, O> {
        final I input;
        final long submittedNanos;
        final long deadlineNanos;
        final CompletableFuture<MicroBatcher.Completed<O>> future = new CompletableFuture<>();

        Job(I input, long submittedNanos, long deadlineNanos) {
            this.input = input;
            this.submittedNanos = submittedNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
