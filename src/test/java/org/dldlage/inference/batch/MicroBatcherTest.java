package org.dldlage.inference.batch;

import org.dldlage.inference.BatchRejectedException;
import org.dldlage.inference.DeadlineExceededException;
import org.dldlage.inference.WorkerDiedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private static final long FAR = TimeUnit.SECONDS.toNanos(60);

    /** Sizes of the batches the function saw, in order. */
    private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private MicroBatcher<Integer, Integer> batcher;

    @AfterEach
    void close() {
        release.countDown();
        if (batcher != null) {
            assertThat(batcher.close(Duration.ofSeconds(5))).as("worker stopped").isTrue();
        }
    }

    /** Doubles its inputs; fails a batch containing a negative number; optionally blocks on the first batch. */
    private MicroBatcher<Integer, Integer> batcher(int maxBatch, Duration delay, int capacity, boolean blockFirst) {
        batcher = new MicroBatcher<>("test", inputs -> {
            batches.add(inputs.size());
            started.countDown();
            if (blockFirst) {
                release.await();
            }
            List<Integer> out = new ArrayList<>();
            for (int x : inputs) {
                if (x < 0) {
                    throw new IllegalArgumentException("bad input " + x);
                }
                out.add(2 * x);
            }
            return out;
        }, new MicroBatcher.Settings(maxBatch, delay, capacity), null);
        return batcher;
    }

    private static long deadline(long nanosFromNow) {
        return System.nanoTime() + nanosFromNow;
    }

    @Test
    void aLoneItemIsNotHeldBackForTheDelay() throws Exception {
        batcher(8, Duration.ofSeconds(2), 16, false);
        long t0 = System.nanoTime();
        MicroBatcher.Completed<Integer> c = batcher.submit(21, deadline(FAR)).get(5, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(c.value()).isEqualTo(42);
        assertThat(c.batchSize()).isEqualTo(1);
        assertThat(ms).as("answered long before the 2 s delay").isLessThan(1000);
    }

    @Test
    void expectedWorkIsWaitedForUpToTheDelayAndJoinsTheBatch() throws Exception {
        batcher(8, Duration.ofMillis(400), 16, false);
        CompletableFuture<MicroBatcher.Completed<Integer>> first;
        CompletableFuture<MicroBatcher.Completed<Integer>> second;
        try (MicroBatcher<Integer, Integer>.Expected coming = batcher.expect()) {
            first = batcher.submit(1, deadline(FAR));
            Thread.sleep(100);
            assertThat(first).as("still waiting for the announced item").isNotDone();
            second = batcher.submit(2, deadline(FAR));
        }
        assertThat(first.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(2);
        assertThat(second.get(5, TimeUnit.SECONDS).value()).isEqualTo(4);
        assertThat(batches).containsExactly(2);
    }

    @Test
    void theDelayBoundsTheWaitEvenWhenAnnouncedWorkNeverArrives() throws Exception {
        batcher(8, Duration.ofMillis(150), 16, false);
        try (MicroBatcher<Integer, Integer>.Expected never = batcher.expect()) {
            long t0 = System.nanoTime();
            MicroBatcher.Completed<Integer> c = batcher.submit(5, deadline(FAR)).get(5, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(c.value()).isEqualTo(10);
            assertThat(ms).isBetween(140L, 2000L);
        }
    }

    @Test
    void batchesNeverExceedTheMaximumAndFillUpUnderLoad() throws Exception {
        batcher(4, Duration.ofMillis(5), 64, true);
        CompletableFuture<MicroBatcher.Completed<Integer>> blocker = batcher.submit(0, deadline(FAR));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<MicroBatcher.Completed<Integer>>> rest = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            rest.add(batcher.submit(i, deadline(FAR)));
        }
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).get(5, TimeUnit.SECONDS).value()).isEqualTo(2 * (i + 1));
        }
        assertThat(batches).containsExactly(1, 4, 4, 2);
    }

    @Test
    void aFullQueueRejectsAtOnceWithoutBlocking() throws Exception {
        batcher(1, Duration.ZERO, 2, true);
        CompletableFuture<MicroBatcher.Completed<Integer>> running = batcher.submit(1, deadline(FAR));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MicroBatcher.Completed<Integer>> q1 = batcher.submit(2, deadline(FAR));
        CompletableFuture<MicroBatcher.Completed<Integer>> q2 = batcher.submit(3, deadline(FAR));
        CompletableFuture<MicroBatcher.Completed<Integer>> over = batcher.submit(4, deadline(FAR));
        assertThat(over).isCompletedExceptionally();
        assertThatThrownBy(over::get).cause().isInstanceOfSatisfying(BatchRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(BatchRejectedException.Reason.QUEUE_FULL));
        assertThat(batcher.remainingCapacity()).isZero();
        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS).value()).isEqualTo(2);
        assertThat(q1.get(5, TimeUnit.SECONDS).value()).isEqualTo(4);
        assertThat(q2.get(5, TimeUnit.SECONDS).value()).isEqualTo(6);
    }

    @Test
    void aRequestThatDoesNotFitIsRejectedWhole() throws Exception {
        batcher(1, Duration.ZERO, 3, true);
        batcher.submit(1, deadline(FAR));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        batcher.submit(2, deadline(FAR));
        List<CompletableFuture<MicroBatcher.Completed<Integer>>> three = batcher.submitAll(List.of(3, 4, 5), deadline(FAR));
        assertThat(three).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        release.countDown();
        batcher.submit(6, deadline(FAR)).get(5, TimeUnit.SECONDS);
        assertThat(batches).as("the partly queued items of the rejected request never ran").containsExactly(1, 1, 1);
    }

    @Test
    void itemsPastTheirDeadlineAreDroppedBeforeTheForwardPass() throws Exception {
        batcher(8, Duration.ZERO, 16, true);
        CompletableFuture<MicroBatcher.Completed<Integer>> running = batcher.submit(1, deadline(FAR));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MicroBatcher.Completed<Integer>> late = batcher.submit(2, deadline(TimeUnit.MILLISECONDS.toNanos(50)));
        CompletableFuture<MicroBatcher.Completed<Integer>> fine = batcher.submit(3, deadline(FAR));
        Thread.sleep(150);
        release.countDown();
        running.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(DeadlineExceededException.class);
        assertThat(fine.get(5, TimeUnit.SECONDS).batchSize()).as("the late item was not in the batch").isEqualTo(1);
        assertThat(batches).containsExactly(1, 1);
    }

    @Test
    void oneBadItemFailsOnlyItself() throws Exception {
        batcher(8, Duration.ofMillis(5), 16, true);
        CompletableFuture<MicroBatcher.Completed<Integer>> running = batcher.submit(0, deadline(FAR));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<MicroBatcher.Completed<Integer>>> queued = new ArrayList<>();
        for (int x : new int[] {1, -1, 3}) {
            queued.add(batcher.submit(x, deadline(FAR)));
        }
        release.countDown();
        running.get(5, TimeUnit.SECONDS);
        assertThat(queued.get(0).get(5, TimeUnit.SECONDS).value()).isEqualTo(2);
        assertThat(queued.get(2).get(5, TimeUnit.SECONDS).value()).isEqualTo(6);
        assertThatThrownBy(() -> queued.get(1).get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad input -1");
        assertThat(batches).as("the batch of three, then each item alone").containsExactly(1, 3, 1, 1, 1);
        assertThat(batcher.lastDeath()).as("an exception does not end the worker").isNull();
    }

    @Test
    void anErrorInTheForwardPassFailsEveryWaitingItemAtOnceAndTheWorkerRestarts() throws Exception {
        List<String> deaths = Collections.synchronizedList(new ArrayList<>());
        MicroBatcher.Listener listener = new MicroBatcher.Listener() {
            @Override
            public void workerDied(Throwable error, boolean restarting) {
                deaths.add(error.getMessage() + "/" + restarting);
            }
        };
        AtomicInteger calls = new AtomicInteger();
        batcher = new MicroBatcher<>("oom", inputs -> {
            started.countDown();
            if (calls.getAndIncrement() == 0) {
                release.await();
                throw new OutOfMemoryError("injected");
            }
            return inputs.stream().map(x -> 2 * x).toList();
        }, new MicroBatcher.Settings(1, Duration.ZERO, 16, WorkerRestarts.after(Duration.ofSeconds(1))), listener);
        List<CompletableFuture<MicroBatcher.Completed<Integer>>> waiting = new ArrayList<>();
        waiting.add(batcher.submit(1, deadline(FAR))); // in the forward pass that dies
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        for (int x = 2; x <= 4; x++) {
            waiting.add(batcher.submit(x, deadline(FAR))); // queued behind it
        }
        long t0 = System.nanoTime();
        release.countDown();
        for (CompletableFuture<MicroBatcher.Completed<Integer>> f : waiting) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(WorkerDiedException.class, e -> assertThat(e.restarting()).isTrue())
                    .hasMessageContaining("inference worker of oom died (OutOfMemoryError: injected)")
                    .hasMessageContaining("restarts in 1000 ms");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("all failed at once, not at their deadline")
                .isLessThan(2000);
        assertThat(batcher.failure()).as("down until the restart").isNotNull();
        assertThat(batcher.submit(5, deadline(FAR))).as("refused at once while down").isCompletedExceptionally();

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.failure() != null && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(batcher.failure()).as("restarted").isNull();
        assertThat(batcher.submit(21, deadline(FAR)).get(5, TimeUnit.SECONDS).value()).isEqualTo(42);
        assertThat(batcher.lastDeath()).as("the death is kept after the restart").isNotNull();
        assertThat(deaths).containsExactly("injected/true");
    }

    @Test
    void aWorkerThatKeepsDyingStaysDown() throws Exception {
        batcher = new MicroBatcher<>("broken", inputs -> {
            throw new StackOverflowError("always");
        }, new MicroBatcher.Settings(1, Duration.ZERO, 16, new WorkerRestarts(2, Duration.ofMinutes(1), Duration.ofMillis(10))), null);
        List<Boolean> restarting = new ArrayList<>(); // per death: each has its own failure
        WorkerDiedException last = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((last == null || last.restarting()) && System.nanoTime() < until) {
            try {
                batcher.submit(1, deadline(FAR)).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                WorkerDiedException died = (WorkerDiedException) e.getCause(); // while down, submissions get the last one
                if (died != last) {
                    restarting.add(died.restarting());
                    last = died;
                }
            }
        }
        assertThat(restarting).as("restarted twice, then left down").containsExactly(true, true, false);
        assertThat(batcher.failure()).isNotNull().hasMessageContaining("died 3 times within 60 s and stays down");
        assertThatThrownBy(() -> batcher.submit(2, deadline(FAR)).get(1, TimeUnit.SECONDS)).cause()
                .isSameAs(batcher.failure());
    }

    @Test
    void closingFinishesAcceptedWorkAndRejectsNewWork() throws Exception {
        batcher(2, Duration.ZERO, 16, true);
        List<CompletableFuture<MicroBatcher.Completed<Integer>>> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(batcher.submit(i, deadline(FAR)));
        }
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> batcher.close(Duration.ofSeconds(10)));
        while (batcher.accepting()) {
            Thread.onSpinWait();
        }
        CompletableFuture<MicroBatcher.Completed<Integer>> late = batcher.submit(9, deadline(FAR));
        assertThatThrownBy(late::get).cause().isInstanceOfSatisfying(BatchRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(BatchRejectedException.Reason.CLOSED));
        release.countDown();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(accepted.get(i).get().value()).isEqualTo(2 * i);
        }
    }
}
