package org.dldlage.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Admission}: the backlog's order and deadline, and the adaptive limit's arithmetic. */
class AdmissionLimitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void aFullLimitLetsTheNewestWaiterInFirstWhenAPlaceFrees() throws Exception {
        Admission admission = new Admission(1, 1, false, Duration.ofSeconds(1), DEADLINE, 4);
        Admission.Permit first = admission.admit(System.nanoTime());
        assertThat(first).isNotNull();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Admission.Permit> permits = new CopyOnWriteArrayList<>();
        Thread older = waiter(admission, "older", order, permits);
        await(() -> admission.waiting() == 1);
        Thread newer = waiter(admission, "newer", order, permits);
        await(() -> admission.waiting() == 2);
        assertThat(admission.inFlight()).isEqualTo(1);

        first.succeeded();
        await(() -> order.size() == 1);
        assertThat(order).containsExactly("newer");
        permits.get(0).succeeded();
        older.join(10_000);
        newer.join(10_000);
        assertThat(order).containsExactly("newer", "older");
        permits.get(1).ignored();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void drainingRefusesTheWaitingRequestsAtOnceAndEveryNewOne() throws Exception {
        Admission admission = new Admission(1, 1, false, Duration.ofSeconds(1), DEADLINE, 4);
        Admission.Permit inside = admission.admit(System.nanoTime());
        List<String> order = new CopyOnWriteArrayList<>();
        List<Admission.Permit> permits = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        Thread a = waiter(admission, "a", order, permits);
        Thread b = waiter(admission, "b", order, permits);
        await(() -> admission.waiting() == 2);

        admission.drain();
        a.join(10_000);
        b.join(10_000);
        // they would have waited up to 4 s (deadline 5 s less the 1 s reserve) for a place
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("released at once").isLessThan(2500);
        assertThat(order).as("no waiter was let in").isEmpty();
        assertThat(admission.waiting()).isZero();
        assertThat(admission.draining()).isTrue();
        inside.succeeded(); // the request inside runs to its end; its place goes to nobody
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.admit(System.nanoTime())).as("a free place, but draining").isNull();
    }

    @Test
    void aWaiterThatGaveUpLeavesThePlaceToTheNextOne() throws Exception {
        Admission admission = new Admission(1, 1, false, Duration.ofSeconds(1), Duration.ofMillis(2400), 4);
        Admission.Permit inside = admission.admit(System.nanoTime());
        List<String> order = new CopyOnWriteArrayList<>();
        List<Admission.Permit> permits = new CopyOnWriteArrayList<>();
        // arrived 1 s ago: waits at most 2.4 - 1 - 1 = 0.4 s, and gives up
        Thread early = new Thread(() -> order.add(admission.admit(System.nanoTime() - TimeUnit.SECONDS.toNanos(1)) == null
                ? "gave up" : "let in"));
        early.start();
        early.join(10_000);
        assertThat(order).containsExactly("gave up");
        Thread late = waiter(admission, "late", order, permits);
        await(() -> admission.waiting() == 1);
        inside.succeeded();
        late.join(10_000);
        assertThat(order).containsExactly("gave up", "late");
        permits.get(0).succeeded();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void aRequestWithoutTimeLeftIsRefusedInsteadOfWaiting() {
        Admission admission = new Admission(1, 1, false, Duration.ofSeconds(1), DEADLINE, 4);
        Admission.Permit inside = admission.admit(System.nanoTime());
        // arrived 4.5 s ago: 0.5 s of its deadline left, less than the 1 s an admitted request is given
        assertThat(admission.admit(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(4500))).isNull();
        assertThat(admission.backlogMillis(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(4500))).isZero();
        assertThat(admission.backlogMillis(System.nanoTime())).isBetween(3000L, 4000L);
        inside.succeeded();
        assertThat(admission.admit(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(4500))).as("a free place: let in").isNotNull();
    }

    @Test
    void withoutABacklogAFullLimitRefusesAtOnce() {
        Admission admission = new Admission(2, 1, false, Duration.ofSeconds(1), DEADLINE, 0);
        assertThat(admission.admit(System.nanoTime())).isNotNull();
        assertThat(admission.admit(System.nanoTime())).isNotNull();
        assertThat(admission.admit(System.nanoTime())).isNull();
        assertThat(admission.limit()).isEqualTo(2);
    }

    @Test
    void theAdaptiveLimitIsWhatFinishesWithinTheTargetAtTheThroughputNow() {
        Admission.DeadlineLimit limit = new Admission.DeadlineLimit(2, 64, TimeUnit.SECONDS.toNanos(1));
        assertThat(limit.getLimit()).isEqualTo(64);
        // 64 inside, each taking 4 s: 16 per second, so 16 finish within 1 s
        for (int i = 0; i < 60; i++) {
            limit.onSample(0, TimeUnit.SECONDS.toNanos(4), 64, false);
        }
        assertThat(limit.getLimit()).isEqualTo(16);
        for (int i = 0; i < 3; i++) {
            limit.onSample(0, 1, 16, true); // 504s or a full queue: 10% less each
        }
        assertThat(limit.getLimit()).isBetween(11, 12);
        // fast answers: the limit grows back up to its maximum
        for (int i = 0; i < 60; i++) {
            limit.onSample(0, TimeUnit.MILLISECONDS.toNanos(100), 16, false);
        }
        assertThat(limit.getLimit()).isEqualTo(64);
        // hopelessly slow: never below the minimum
        for (int i = 0; i < 60; i++) {
            limit.onSample(0, TimeUnit.SECONDS.toNanos(60), 2, false);
        }
        assertThat(limit.getLimit()).isEqualTo(2);
    }

    private static Thread waiter(Admission admission, String name, List<String> order, List<Admission.Permit> permits) {
        Thread t = new Thread(() -> {
            Admission.Permit p = admission.admit(System.nanoTime());
            if (p != null) {
                order.add(name);
                permits.add(p);
            }
        }, name);
        t.start();
        return t;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 400 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 4 s").isTrue();
    }
}
