package org.dldlage.inference.batch;

import org.dldlage.inference.BatchRejectedException;
import org.dldlage.inference.DeadlineExceededException;
import org.dldlage.inference.WorkerDiedException;
import org.dldlage.inference.batch.BatchRunner.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * one bad input fails only its own future. An {@link Error} escaping a batch (OutOfMemoryError, ...)
 * ends the worker: every waiting item fails at once ({@link WorkerDiedException}), and so does every
 * submission until the worker is restarted ({@link WorkerRestarts}). {@link #close()} stops accepting,
 * finishes what was accepted and joins the worker: every accepted item gets exactly one completion.
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

        /** The worker died of {@code error}; {@code restarting} false: it stays down. */
        default void workerDied(Throwable error, boolean restarting) {}
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
     * @param restarts how a worker that died is restarted
     */
    public record Settings(int maxBatchSize, Duration maxDelay, int queueCapacity, WorkerRestarts restarts) {
        public Settings {
            if (maxBatchSize < 1 || queueCapacity < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException("batch size and queue capacity must be ≥ 1 and the delay ≥ 0");
            }
        }

        public Settings(int maxBatchSize, Duration maxDelay, int queueCapacity) {
            this(maxBatchSize, maxDelay, queueCapacity, WorkerRestarts.after(Duration.ofSeconds(1)));
        }

        public Settings withMaxBatchSize(int size) {
            return new Settings(size, maxDelay, queueCapacity, restarts);
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

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    private final String name;
    private final BatchRunner<I, O> runner;
    private final Settings settings;
    private final Listener listener;
    private final BlockingQueue<Job<I, O>> queue;
    private final AtomicInteger upstream = new AtomicInteger();
    private final Runnable workerSetup;
    private volatile Thread worker;
    private final Object lock = new Object();
    private volatile boolean accepting = true;
    private final WorkerRestarts.Deaths deaths;

    public MicroBatcher(String name, BatchFunction<I, O> function, Settings settings, Listener listener) {
        this(name, function, settings, listener, () -> {});
    }

    /**
     * @param workerSetup runs first on the worker thread (thread-local engine settings such as
     *     PyTorch's intra-op thread count, which a new thread would not inherit)
     */
    public MicroBatcher(String name, BatchFunction<I, O> function, Settings settings, Listener listener,
            Runnable workerSetup) {
        this.name = name;
        this.settings = settings;
        this.listener = listener == null ? new Listener() {} : listener;
        this.runner = new BatchRunner<>(function, this.listener, settings.maxBatchSize());
        this.deaths = new WorkerRestarts.Deaths(name, settings.restarts());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.workerSetup = workerSetup;
        startWorker();
    }

    private void startWorker() {
        Thread t = new Thread(this::serve, "batcher-" + name);
        worker = t;
        t.start();
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
     *     {@link DeadlineExceededException}, {@link WorkerDiedException} or the function's exception
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
            WorkerDiedException failure = accepting ? deaths.down() : null;
            if (failure != null) {
                return failed(inputs.size(), failure); // nobody would take it from the queue
            }
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
            return failed(inputs.size(), new BatchRejectedException(rejection, queue.size(), settings.queueCapacity()));
        }
        List<CompletableFuture<Completed<O>>> futures = new ArrayList<>(jobs.size());
        jobs.forEach(j -> futures.add(j.future));
        return futures;
    }

    private List<CompletableFuture<Completed<O>>> failed(int n, RuntimeException e) {
        List<CompletableFuture<Completed<O>>> failed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            failed.add(CompletableFuture.failedFuture(e));
        }
        return failed;
    }

    /** Items waiting now. */
    public int queued() {
        return queue.size();
    }

    /** Items that can still be queued now. */
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    public Settings settings() { return settings; }

    public boolean accepting() { return accepting; }

    /** Why the worker is down now (it died and restarts, or stays down); null while it serves. */
    public WorkerDiedException failure() { return deaths.down(); }

    /** The worker's last death, kept after its restart; null if it never died. */
    public WorkerDiedException lastDeath() { return deaths.last(); }

    /** Stops accepting, finishes every queued item and waits for the worker (at most {@code timeout}). */
    public boolean close(Duration timeout) {
        synchronized (lock) {
            accepting = false;
            lock.notifyAll(); // a pending restart is called off
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

    /** The worker thread: a Throwable escaping it must not end it silently while submissions still queue. */
    private void serve() {
        List<Job<I, O>> batch = new ArrayList<>(settings.maxBatchSize());
        try {
            workerSetup.run();
            work(batch);
        } catch (Throwable error) {
            died(error, batch);
        }
    }

    /** Fails the batch it was running and everything queued at once, then restarts the worker unless it keeps dying. */
    private void died(Throwable error, List<Job<I, O>> batch) {
        WorkerDiedException failure;
        synchronized (lock) { // from here on submissions fail at once: nothing more enters the queue
            failure = deaths.died(error, !accepting);
        }
        List<Job<I, O>> waiting = new ArrayList<>(batch);
        queue.drainTo(waiting);
        waiting.forEach(j -> j.future.completeExceptionally(failure));
        log.error("{}; {} waiting items failed with it", failure.getMessage(), waiting.size(), error);
        listener.workerDied(error, failure.restarting());
        if (failure.restarting()) {
            restartAfter(settings.restarts().delay());
        }
    }

    private void restartAfter(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            long left;
            while (accepting && (left = until - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (accepting) { // closed meanwhile: nothing was queued since the death, nothing is left to serve
                deaths.restarted();
                startWorker();
            }
        }
    }

    private void work(List<Job<I, O>> batch) {
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
            runner.run(batch);
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
}
