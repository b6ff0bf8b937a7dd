package org.dldlage.inference.batch;

import org.dldlage.inference.BatchRejectedException;
import org.dldlage.inference.DeadlineExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dynamic batching of independent items in front of one batched function (one forward pass).
 *
 * <p>Callers {@link #submit} items into a bounded FIFO queue whose {@code offer} is the capacity
 * check: a full queue fails the item at once ({@link BatchRejectedException}), nothing blocks the
 * caller. One worker thread blocks for the first item, drains what is already queued, then polls
 * for more until {@code maxDelay} after the first item arrived or the batch is full, and runs the
 * function once. It waits only while more work is known to be on its way (see {@link #expect()}),
 * so a lone item at low load is not held back. Items past their deadline are dropped before the
 * forward pass ({@link DeadlineExceededException}); a batch that fails is retried item by item so
 * one bad input fails only its own future. {@link #close()} stops accepting, finishes what was
 * accepted and joins the worker: every accepted item gets exactly one completion.
 *
 * @param <I> an input item
 * @param <O> its result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** The batched computation; returns one output per input, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> inputs) throws Exception;
    }

    /** Observes the batcher for metrics; called on the worker thread or the submitting thread. */
    public interface Listener {
        default void batchCompleted(int size, int maxBatchSize, long nanos) {}

        default void queueWaited(long nanos) {}

        default void rejected(BatchRejectedException.Reason reason) {}

        default void expired() {}
    }

    /**
     * An item's result and what it went through.
     *
     * @param queueNanos from submission until its batch started
     * @param batchNanos the batched function's run time
     * @param batchSize items in the batch it ran in (1 when retried alone)
     */
    public record Completed<O>(O value, long queueNanos, long batchNanos, int batchSize) {}

    /**
     * @param maxBatchSize most items in one call of the function
     * @param maxDelay the longest a batch waits for more items after its first one arrived
     * @param queueCapacity most items waiting; beyond this, submissions are rejected
     */
    public record Settings(int maxBatchSize, Duration maxDelay, int queueCapacity) {
        public Settings {
            if (maxBatchSize < 1 || queueCapacity < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException("batch size and queue capacity must be ≥ 1 and the delay ≥ 0");
            }
        }

        public Settings withMaxBatchSize(int size) {
            return new Settings(size, maxDelay, queueCapacity);
        }
    }

    /** Announces work that will be submitted soon; close it once submitted (or abandoned). */
    public final class Expected implements AutoCloseable {
        private boolean open = true;

        private Expected() {
            upstream.incrementAndGet();
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                upstream.decrementAndGet();
            }
        }
    }

    /** How often the worker re-checks whether more work is coming while it waits. */
    private static final long POLL_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final BatchFunction<I, O> function;
    private final Settings settings;
    private final Listener listener;
    private final BlockingQueue<Job<I, O>> queue;
    private final AtomicInteger upstream = new AtomicInteger();
    private final Thread worker;
    private final Object lock = new Object();
    private volatile boolean accepting = true;

    public MicroBatcher(String name, BatchFunction<I, O> function, Settings settings, Listener listener) {
        this(name, function, settings, listener, () -> {});
    }

    /**
     * @param workerSetup runs first on the worker thread (thread-local engine settings such as
     *     PyTorch's intra-op thread count, which a new thread would not inherit)
     */
    public MicroBatcher(String name, BatchFunction<I, O> function, Settings settings, Listener listener,
            Runnable workerSetup) {
        this.function = function;
        this.settings = settings;
        this.listener = listener == null ? new Listener() {} : listener;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new Thread(() -> {
            workerSetup.run();
            work();
        }, "batcher-" + name);
        this.worker.start();
    }

    /** Marks work on its way: while any is open, a forming batch waits (up to the delay) for more. */
    public Expected expect() {
        return new Expected();
    }

    /**
     * Queues one item.
     *
     * @param deadlineNanos a {@link System#nanoTime()} after which the item is no longer wanted
     * @return completes with the result, or with {@link BatchRejectedException} (at once),
     *     {@link DeadlineExceededException} or the function's exception
     */
    public CompletableFuture<Completed<O>> submit(I input, long deadlineNanos) {
        return submitAll(List.of(input), deadlineNanos).get(0);
    }

    /** Queues several items of one request: all of them or, when they do not fit, none. */
    public List<CompletableFuture<Completed<O>>> submitAll(List<I> inputs, long deadlineNanos) {
        List<Job<I, O>> jobs = new ArrayList<>(inputs.size());
        BatchRejectedException.Reason rejection = null;
        long now = System.nanoTime();
        synchronized (lock) { // close() flips accepting under the same lock: no job slips past the worker's exit
            for (I input : inputs) {
                Job<I, O> job = new Job<>(input, now, deadlineNanos);
                if (!accepting) {
                    rejection = BatchRejectedException.Reason.CLOSED;
                } else if (!queue.offer(job)) {
                    rejection = BatchRejectedException.Reason.QUEUE_FULL;
                }
                if (rejection != null) {
                    // take back the ones already queued (the worker skips any it took meanwhile)
                    jobs.forEach(j -> {
                        j.future.cancel(false);
                        queue.remove(j);
                    });
                    break;
                }
                jobs.add(job);
            }
        }
        if (rejection != null) {
            listener.rejected(rejection);
            BatchRejectedException e = new BatchRejectedException(rejection, queue.size(), settings.queueCapacity());
            List<CompletableFuture<Completed<O>>> failed = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                failed.add(CompletableFuture.failedFuture(e));
            }
            return failed;
        }
        List<CompletableFuture<Completed<O>>> futures = new ArrayList<>(jobs.size());
        jobs.forEach(j -> futures.add(j.future));
        return futures;
    }

    /** Items waiting now. */
    public int queued() {
        return queue.size();
    }

    /** Items that can still be queued now. */
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    public Settings settings() {
        return settings;
    }

    public boolean accepting() {
        return accepting;
    }

    /** Stops accepting, finishes every queued item and waits for the worker (at most {@code timeout}). */
    public boolean close(Duration timeout) {
        synchronized (lock) {
            accepting = false;
        }
        try {
            worker.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void work() {
        List<Job<I, O>> batch = new ArrayList<>(settings.maxBatchSize());
        while (true) {
            Job<I, O> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null; // keep serving until closed and empty: accepted work must be answered
            }
            if (first == null) {
                if (!accepting && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            fill(batch, first.submittedNanos + settings.maxDelay().toNanos());
            run(batch);
            batch.clear();
        }
    }

    /** Drains what is queued, then polls until the deadline while more work is expected. */
    private void fill(List<Job<I, O>> batch, long deadline) {
        int max = settings.maxBatchSize();
        queue.drainTo(batch, max - batch.size());
        while (batch.size() < max && accepting) {
            if (queue.isEmpty() && upstream.get() == 0) {
                return; // nobody is on the way: do not hold back what we have
            }
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            try {
                Job<I, O> next = queue.poll(Math.min(wait, POLL_SLICE_NANOS), TimeUnit.NANOSECONDS);
                if (next != null) {
                    batch.add(next);
                    queue.drainTo(batch, max - batch.size());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(List<Job<I, O>> batch) {
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
        listener.batchCompleted(jobs.size(), settings.maxBatchSize(), nanos);
        for (int i = 0; i < jobs.size(); i++) {
            Job<I, O> job = jobs.get(i);
            job.future.complete(new Completed<>(outputs.get(i), start - job.submittedNanos, nanos, jobs.size()));
        }
    }

    private static final class Job<I, O> {
        final I input;
        final long submittedNanos;
        final long deadlineNanos;
        final CompletableFuture<Completed<O>> future = new CompletableFuture<>();

        Job(I input, long submittedNanos, long deadlineNanos) {
            this.input = input;
            this.submittedNanos = submittedNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
