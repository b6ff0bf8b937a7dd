package org.dldlage.inference;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AbstractLimit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which requests enter the pipeline: at most {@link #limit()} at once (Netflix concurrency-limits'
 * {@link SimpleLimiter}), the others wait in a LIFO backlog only while they can still be answered within
 * their deadline, counted from their arrival. A refused request costs nothing but the refusal; one that is
 * let in has the time it needs. On shutdown ({@link #drain()}) the backlog is emptied at once and nothing new
 * is let in, so waiting requests are answered (503) instead of having their connection closed.
 *
 * <p>Why: clients that do not back off resend each refusal at once; fast refusals then took the cores the
 * admitted requests needed, and those missed their deadline after doing their work (goodput 3–8% at 2–4×
 * the limit). Waiting in the backlog costs no CPU, and LIFO serves the requests that still have time first.
 *
 * <p>The adaptive limit ({@link DeadlineLimit}) is the in-flight count that finishes within the target latency
 * at the throughput measured now: Little's law, L = X · T, with X = in-flight / latency of recent requests.
 */
public final class Admission {

    /** Weight of each answer in the smoothed latencies and in-flight counts. */
    static final double SMOOTHING = 0.25;

    private final SimpleLimiter<Void> inner;
    private final int backlogSize;
    /** Newest first; guarded by itself, as are the hand-overs from a finished permit to a waiter. */
    private final Deque<Waiter> backlog = new ArrayDeque<>();
    private volatile boolean draining;
    private final long deadlineNanos;
    private final long targetNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Smoothed time inside of the requests answered, ns (0: none yet). */
    private volatile double serviceNanos;

    /**
     * @param maxInFlight the highest limit (the fixed limit when not adaptive)
     * @param minInFlight the lowest adaptive limit
     * @param targetLatency the time inside the adaptive limit aims for
     * @param deadline each request's deadline, from its arrival
     * @param backlog requests that may wait for a place; 0: refuse at once when the limit is reached
     */
    public Admission(int maxInFlight, int minInFlight, boolean adaptive, Duration targetLatency, Duration deadline, int backlog) {
        this.deadlineNanos = deadline.toNanos();
        this.targetNanos = targetLatency.toNanos();
        Limit limit = adaptive ? new DeadlineLimit(Math.min(minInFlight, maxInFlight), maxInFlight, targetNanos)
                : FixedLimit.of(maxInFlight);
        this.inner = SimpleLimiter.newBuilder().named("age").limit(limit).build();
        this.backlogSize = backlog;
    }

    /**
     * Lets the request in, possibly after waiting, or refuses it.
     *
     * @param arrivalNanos when it arrived ({@link System#nanoTime()})
     * @return its permit, to be completed exactly once; null when refused: overloaded, or {@link #draining()}
     */
    public Permit admit(long arrivalNanos) {
        if (draining) {
            return null;
        }
        waiting.incrementAndGet();
        try {
            Optional<Limiter.Listener> now = inner.acquire(null);
            if (now.isPresent()) {
                return new Permit(now.get(), System.nanoTime());
            }
            long wait = backlogSize == 0 ? 0 : backlogMillis(arrivalNanos);
            if (wait <= 0) {
                return null;
            }
            Waiter waiter = new Waiter();
            synchronized (backlog) {
                if (draining || backlog.size() >= backlogSize) {
                    return null;
                }
                now = inner.acquire(null); // a place may have freed since the first try
                if (now.isPresent()) {
                    return new Permit(now.get(), System.nanoTime());
                }
                backlog.addFirst(waiter);
            }
            Limiter.Listener handed = waiter.await(wait);
            if (handed == null) {
                synchronized (backlog) {
                    backlog.remove(waiter); // timed out, or interrupted; drain() has emptied it already
                }
                return null;
            }
            return new Permit(handed, System.nanoTime());
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * From now on nothing is let in: the waiting requests are refused at once, as is every new one; the
     * permits already given run to their end.
     */
    public void drain() {
        draining = true;
        synchronized (backlog) {
            for (Waiter w : backlog) {
                w.cancel();
            }
            backlog.clear();
        }
    }

    /** True once {@link #drain()} was called: a refusal now means the service is shutting down. */
    public boolean draining() {
        return draining;
    }

    /** A finished permit's place goes to the newest waiter (LIFO: it has the most time left). */
    private void handOver() {
        synchronized (backlog) {
            while (!backlog.isEmpty()) {
                Optional<Limiter.Listener> place = inner.acquire(null);
                if (place.isEmpty()) {
                    return;
                }
                if (!backlog.removeFirst().offer(place.get())) {
                    place.get().onIgnore(); // that one gave up meanwhile: the place goes to the next
                }
            }
        }
    }

    /** The in-flight limit now. */
    public int limit() {
        return inner.getLimit();
    }

    /** Requests admitted and not yet completed. */
    public int inFlight() {
        return inner.getInflight();
    }

    /** Requests asking for admission now (waiting in the backlog, or about to be refused or let in). */
    public int waiting() {
        return waiting.get();
    }

    /**
     * How long a request may wait: until only the time an admitted request needs is left of its deadline,
     * twice the recent average (or the target latency, whichever is longer), so what is let in late still
     * finishes in time; but at least until half its deadline has passed: refused at once, clients that do not
     * back off resend at once, and refusing them took the CPU the admitted requests needed (at 1× the limit
     * with MTCNN photos, 1,700 refusals/s and 0.8 answers/s), which made answers slower and refusals sooner.
     */
    long backlogMillis(Long arrivalNanos) {
        long reserve = Math.min(deadlineNanos / 2, Math.max(targetNanos, (long) (2 * serviceNanos)));
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(arrivalNanos + deadlineNanos - reserve - System.nanoTime()));
    }

    private void served(long nanos) {
        double s = serviceNanos;
        // per answer, so it must follow quickly at a few photos per second; a lost update (benign race) only slows it
        serviceNanos = s == 0 ? nanos : s + SMOOTHING * (nanos - s);
    }

    /** A place inside: complete it with the request's outcome. */
    public final class Permit {
        private final Limiter.Listener listener;
        private final long admittedNanos;

        private Permit(Limiter.Listener listener, long admittedNanos) {
            this.listener = listener;
            this.admittedNanos = admittedNanos;
        }

        /** Answered: its latency feeds the limit. */
        public void succeeded() {
            served(System.nanoTime() - admittedNanos);
            listener.onSuccess();
            handOver();
        }

        /** Missed its deadline or found the queue full: the limit shrinks. */
        public void dropped() {
            listener.onDropped();
            handOver();
        }

        /** Failed for its own reasons (bad input, draining): says nothing about the load. */
        public void ignored() {
            listener.onIgnore();
            handOver();
        }
    }

    /** A request in the backlog: handed a place, or given up on (timed out, drained, interrupted). */
    private static final class Waiter {
        private Limiter.Listener place;
        private boolean done;

        /** @return false when the waiter has given up already: the caller keeps the place */
        synchronized boolean offer(Limiter.Listener p) {
            if (done) {
                return false;
            }
            place = p;
            done = true;
            notifyAll();
            return true;
        }

        synchronized void cancel() {
            done = true;
            notifyAll();
        }

        /** The place handed over within {@code millis}, or null. */
        synchronized Limiter.Listener await(long millis) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            try {
                while (!done) {
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done = true; // a place offered from now on goes to the next waiter
            return place;
        }
    }

    /**
     * L = X · T: the smoothed in-flight count over the smoothed latency is the throughput now, times the target
     * latency the number of requests that fit; ×0.9 on a drop. Between {@code min} and {@code max}.
     */
    static final class DeadlineLimit extends AbstractLimit {
        private static final double STEP = 0.25;
        private final int min;
        private final int max;
        private final double targetNanos;
        private double latency; // guarded by AbstractLimit.onSample's lock
        private double inFlight;
        private double limit;

        DeadlineLimit(int min, int max, long targetNanos) {
            super(max);
            this.min = min;
            this.max = max;
            this.targetNanos = targetNanos;
            this.limit = max;
        }

        @Override
        protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
            if (didDrop) {
                limit = Math.max(min, limit * 0.9);
                return (int) limit;
            }
            if (latency == 0) {
                latency = rtt;
                inFlight = inflight;
            } else {
                latency += SMOOTHING * (Math.max(1, rtt) - latency);
                inFlight += SMOOTHING * (inflight - inFlight);
            }
            // a quarter of the way per answer: one slow request must not halve the limit
            limit += STEP * (Math.max(min, Math.min(max, inFlight * targetNanos / latency)) - limit);
            return (int) Math.round(limit);
        }
    }
}
