package org.dldlage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator for {@code POST /v1/age} over real HTTP/1.1 on loopback (java.net.http, one
 * keep-alive connection per concurrent request). Closed loop: N clients, each sends its next photo
 * when the previous answer arrived. Open loop: requests at a fixed rate whatever the answers, latency
 * counted from each request's scheduled time (so a slow server cannot hide queueing from us).
 * Every request has a 30 s client timeout: nothing can hang the benchmark.
 */
final class LoadGenerator {

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern TIMING = Pattern.compile(
            "\"(decodeMs|detectMs|alignMs|queueMs|inferenceMs|totalMs|batchSize)\"\\s*:\\s*([-0-9.eE+]+)");
    static final String[] STAGES = {"decodeMs", "detectMs", "alignMs", "queueMs", "inferenceMs", "totalMs", "batchSize"};

    private final HttpClient client;
    private final String url;
    private final List<byte[]> photos;

    LoadGenerator(HttpClient client, String url, List<byte[]> photos) {
        this.client = client;
        this.url = url;
        this.photos = photos;
    }

    static HttpClient newClient(ExecutorService executor) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if (executor != null) {
            b.executor(executor);
        }
        return b.build();
    }

    private HttpRequest request(int i) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(CLIENT_TIMEOUT).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photos.get(Math.floorMod(i, photos.size())))).build();
    }

    /** What one measured phase saw. Latencies in ms of the requests answered 200. */
    static final class Outcome {
        final ConcurrentLinkedQueue<double[]> ok = new ConcurrentLinkedQueue<>(); // latency, then the stages
        final AtomicLong sent = new AtomicLong();
        final AtomicLong tooMany = new AtomicLong(); // 429
        final AtomicLong deadline = new AtomicLong(); // 504
        final AtomicLong unavailable = new AtomicLong(); // 503 (also counted in otherStatus)
        final AtomicLong otherStatus = new AtomicLong();
        final AtomicLong ioErrors = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong(); // client gave up after 30 s: a hang
        final AtomicLong connectTimeouts = new AtomicLong(); // no connection within 10 s: refused at the door, not hung
        final ConcurrentLinkedQueue<Double> rejectedMs = new ConcurrentLinkedQueue<>(); // latency of 429/504 answers
        volatile String firstError;
        double seconds;

        void record(HttpResponse<String> r, double ms) {
            switch (r.statusCode()) {
                case 200 -> {
                    double[] row = new double[1 + STAGES.length];
                    row[0] = ms;
                    Matcher m = TIMING.matcher(r.body());
                    while (m.find()) {
                        row[1 + Arrays.asList(STAGES).indexOf(m.group(1))] = Double.parseDouble(m.group(2));
                    }
                    ok.add(row);
                }
                case 429 -> {
                    tooMany.incrementAndGet();
                    rejectedMs.add(ms);
                }
                case 504 -> {
                    deadline.incrementAndGet();
                    rejectedMs.add(ms);
                }
                default -> {
                    if (r.statusCode() == 503) {
                        unavailable.incrementAndGet();
                    }
                    otherStatus.incrementAndGet();
                    if (firstError == null) {
                        firstError = r.statusCode() + " " + r.body();
                    }
                }
            }
        }

        void failed(Throwable e) {
            Throwable c = e.getCause() != null && !(e instanceof HttpTimeoutException) ? e.getCause() : e;
            if (c instanceof java.net.http.HttpConnectTimeoutException) {
                connectTimeouts.incrementAndGet();
            } else if (c instanceof HttpTimeoutException) {
                timeouts.incrementAndGet();
            } else {
                ioErrors.incrementAndGet();
            }
            if (firstError == null) {
                firstError = c.toString();
            }
        }

        long answered200() {
            return ok.size();
        }

        /** Non-200 answers other than 429/504, I/O errors and client timeouts. */
        long errors() {
            return otherStatus.get() + ioErrors.get() + timeouts.get() + connectTimeouts.get();
        }

        double throughput() {
            return ok.size() / seconds;
        }

        double percentile(double q) {
            return percentile(ok.stream().mapToDouble(r -> r[0]).toArray(), q);
        }

        double meanStage(String stage) {
            int k = 1 + Arrays.asList(STAGES).indexOf(stage);
            return ok.stream().mapToDouble(r -> r[k]).average().orElse(Double.NaN);
        }

        double percentileStage(String stage, double q) {
            int k = 1 + Arrays.asList(STAGES).indexOf(stage);
            return percentile(ok.stream().mapToDouble(r -> r[k]).toArray(), q);
        }

        static double percentile(double[] values, double q) {
            if (values.length == 0) {
                return Double.NaN;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))]; // nearest rank
        }
    }

    /**
     * N clients back to back for warm-up + measure; only answers that arrive inside the measured
     * window count. {@code mark} runs at the start and at the end of the window (CPU counters).
     * Returns once every client has stopped (each stops after its request in flight).
     */
    Outcome closedLoop(int clients, Duration warmup, Duration measure, Runnable mark) throws InterruptedException {
        Outcome out = new Outcome();
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long to = from + measure.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c * 7919;
            Thread t = new Thread(() -> {
                for (int i = first; System.nanoTime() < to; i++) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(request(i), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (t1 >= from && t1 <= to) {
                            out.sent.incrementAndGet();
                            out.record(r, (t1 - t0) / 1e6);
                        }
                    } catch (IOException e) {
                        if (System.nanoTime() >= from) {
                            out.sent.incrementAndGet();
                            out.failed(e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "client-" + c);
            t.start();
            threads.add(t);
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, from - System.nanoTime()));
        mark.run();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, to - System.nanoTime()));
        mark.run();
        for (Thread t : threads) {
            t.join(CLIENT_TIMEOUT.toMillis() + 10_000);
        }
        out.seconds = measure.toNanos() / 1e9;
        return out;
    }

    /** Exactly n requests from N clients (the soak); calls progress every 1000 answers. */
    Outcome closedLoopCount(int clients, int n, LongSupplier progress) throws InterruptedException {
        Outcome out = new Outcome();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                for (long i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    out.sent.incrementAndGet();
                    try {
                        out.record(client.send(request((int) i), HttpResponse.BodyHandlers.ofString()), (System.nanoTime() - t0) / 1e6);
                    } catch (IOException e) {
                        out.failed(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if ((i + 1) % 1000 == 0) {
                        progress.getAsLong();
                    }
                }
            }, "soak-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(10));
        }
        out.seconds = (System.nanoTime() - start) / 1e9;
        return out;
    }

    /**
     * Requests at {@code rate} per second for {@code duration}, whatever the answers; at most
     * {@code maxInFlight} at once (more are counted as not sent). Waits at most 40 s for the last answers.
     */
    Outcome openLoop(double rate, Duration duration, int maxInFlight, AtomicLong notSent) throws InterruptedException {
        Outcome out = new Outcome();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long n = Math.round(rate * duration.toNanos() / 1e9);
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            long scheduled = start + Math.round(i * 1e9 / rate);
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire()) {
                notSent.incrementAndGet();
                continue;
            }
            out.sent.incrementAndGet();
            client.sendAsync(request((int) i), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                double ms = (System.nanoTime() - scheduled) / 1e6;
                if (e != null) {
                    out.failed(e);
                } else {
                    out.record(r, ms);
                }
                inFlight.release();
            });
        }
        out.seconds = (System.nanoTime() - start) / 1e9;
        if (!inFlight.tryAcquire(maxInFlight, 40, TimeUnit.SECONDS)) {
            out.timeouts.addAndGet(maxInFlight - inFlight.availablePermits()); // still unanswered after 40 s: hung
        } else {
            inFlight.release(maxInFlight);
        }
        return out;
    }
}
