package org.dldlage.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Goodput under overload (issue 19): clients that never back off. Per alignment, one service process
 * ({@code java -jar target/dldl-age.jar}, defaults but the model), then closed-loop clients that send their
 * next request as soon as they have an answer, ignoring {@code Retry-After}, at 1×, 2× and 4× the in-flight
 * limit, and an open loop (a fixed rate whatever the answers, latency from the scheduled send time) at 2× and
 * 4× the capacity the 1× row measured. {@code align=none}: UTKFace crops; {@code align=mtcnn}: FG-NET photos.
 *
 * <p>Per row: goodput (200/s) and its share of the 1× row, the 429/503/504 counts, requests without an
 * answer (I/O errors, connect or client timeouts), p50/p99 of the answered, the service's CPU per refusal
 * (its CPU beyond what the row's 200s cost at the 1× row's CPU per 200, over the refusals; "—" under 200
 * refusals) and the load generator's share of the machine's CPU (it runs on the same cores). Prints one
 * Markdown table.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.OverloadBenchmark \
 *     -Dexec.args="--seconds=10 --warmup=3"   # [--aligns=none,mtcnn] [--limit=64] [--model=model-store/utkface-tinyagenet-64] [--args=--age.x=y,...]
 * </pre>
 */
public final class OverloadBenchmark {

    private OverloadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(2, eq < 0 ? a.length() : eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        Path model = Path.of(o.getOrDefault("model", "model-store/utkface-tinyagenet-64"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "3"));
        int limit = Integer.parseInt(o.getOrDefault("limit", "64")); // age.limits.max-in-flight of the service
        int port = Integer.parseInt(o.getOrDefault("port", "18090"));
        List<String> aligns = List.of(o.getOrDefault("aligns", "none,mtcnn").split(","));
        List<String> serviceArgs = new ArrayList<>(List.of("--age.model.path=" + model, "--age.limits.max-in-flight=" + limit));
        for (String a : o.getOrDefault("args", "").split(",")) {
            if (!a.isBlank()) {
                serviceArgs.add(a);
            }
        }
        Path data = Path.of(System.getProperty("dldl.shared.dir", "../shared")).resolve("data");
        Map<String, List<byte[]>> inputs = Map.of("none", read(data.resolve("utkface/images"), 256),
                "mtcnn", read(data.resolve("fgnet/images"), 64));
        Path jar = Path.of("target", "dldl-age.jar");
        Files.createDirectories(Path.of("target", "bench"));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| align | load | 200/s (goodput) | of the 1× row | 200 | 429 | 503 | 504 | no answer | p50 / p99 of 200s, ms "
                        + "| service CPU-ms per 200 / per refusal | load generator's CPU share | other processes' CPU share |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n"));
        String load0 = Machine.loadAverage();
        for (String align : aligns) {
            Path log = Path.of("target", "bench", "overload-" + align + ".log");
            try (ServiceProcess svc = ServiceProcess.start(jar, port, serviceArgs, Map.of(), log)) {
                String url = svc.base() + "/v1/age?align=" + align + "&distribution=false";
                LoadGenerator closed = new LoadGenerator(LoadGenerator.newClient(null), url, inputs.get(align));
                closed.closedLoop(limit, Duration.ZERO, Duration.ofSeconds(warmup), () -> {}); // JIT, batch sizes
                Row base = null;
                for (int k : new int[] {1, 2, 4}) {
                    Row r = Row.measure(svc, m -> closed.closedLoop(k * limit, Duration.ofSeconds(1), Duration.ofSeconds(seconds), m));
                    base = base == null ? r : base;
                    table.append(r.line(align, "closed loop, " + (k * limit) + " clients (" + k + "× the limit)", base));
                    System.err.print(r.line(align, k + "×", base));
                }
                double capacity = base.out.throughput();
                for (int k : new int[] {2, 4}) {
                    var pool = Executors.newFixedThreadPool(4);
                    LoadGenerator open = new LoadGenerator(LoadGenerator.newClient(pool), url, inputs.get(align));
                    AtomicLong notSent = new AtomicLong();
                    Row r = Row.measure(svc, m -> {
                        m.run();
                        LoadGenerator.Outcome out = open.openLoop(k * capacity, Duration.ofSeconds(seconds), 4000, notSent);
                        m.run();
                        return out;
                    });
                    r.out.timeouts.addAndGet(notSent.get()); // not sent (4000 in flight) counts as unanswered
                    table.append(r.line(align, String.format(Locale.ROOT, "open loop, %.0f req/s (%d× capacity)", k * capacity, k), base));
                    System.err.print(r.line(align, k + "× open", base));
                    pool.shutdown();
                }
            }
        }
        String out = table + String.format(Locale.ROOT, "%nLoad average before: %s, after: %s. Service: `java -jar target/dldl-age.jar %s`.%n",
                load0, Machine.loadAverage(), String.join(" ", serviceArgs));
        Files.writeString(Path.of("target", "bench", "overload.md"), out);
        System.out.println(out);
    }

    interface Phase {
        LoadGenerator.Outcome run(Runnable mark) throws InterruptedException;
    }

    /** One measured row: the outcome and the CPU seconds of the service, this process and the machine in its window. */
    record Row(LoadGenerator.Outcome out, double serviceCpu, double clientCpu, double machineCpu, double wall) {

        static Row measure(ServiceProcess svc, Phase phase) throws InterruptedException {
            double[] cpu = new double[6];
            long[] t = new long[2];
            int[] marks = {0};
            long self = ProcessHandle.current().pid();
            LoadGenerator.Outcome out = phase.run(() -> {
                int i = marks[0]++;
                if (i < 2) {
                    t[i] = System.nanoTime();
                    cpu[3 * i] = svc.cpuSeconds();
                    cpu[3 * i + 1] = Machine.processCpuSeconds(self);
                    cpu[3 * i + 2] = Machine.machineBusySeconds();
                }
            });
            double wall = (t[1] - t[0]) / 1e9;
            out.seconds = wall; // the open loop's window runs until its last answer
            return new Row(out, cpu[3] - cpu[0], cpu[4] - cpu[1], cpu[5] - cpu[2], wall);
        }

        long refusals() {
            return out.tooMany.get() + out.unavailable.get();
        }

        double cpuPer200() {
            return 1000 * serviceCpu / Math.max(1, out.answered200());
        }

        String line(String align, String load, Row base) {
            long unanswered = out.ioErrors.get() + out.timeouts.get() + out.connectTimeouts.get() + out.otherStatus.get() - out.unavailable.get();
            // the refusals' CPU: what the service spent beyond the row's 200s at the 1× row's cost per 200
            double perRefusal = refusals() < 200 ? Double.NaN
                    : Math.max(0, 1000 * serviceCpu - out.answered200() * base.cpuPer200()) / refusals();
            int cores = Runtime.getRuntime().availableProcessors();
            return String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f%% | %d | %d | %d | %d | %d | %.0f / %.0f | %.2f / %s | %.0f%% | %.0f%% |%n",
                    align, load, out.throughput(), 100 * out.throughput() / base.out.throughput(), out.answered200(), out.tooMany.get(),
                    out.unavailable.get(), out.deadline.get(), unanswered, out.percentile(0.5), out.percentile(0.99), cpuPer200(),
                    Double.isNaN(perRefusal) ? "—" : String.format(Locale.ROOT, "%.3f", perRefusal),
                    100 * clientCpu / (wall * cores), Math.max(0, 100 * (machineCpu - serviceCpu - clientCpu) / (wall * cores)));
        }
    }

    private static List<byte[]> read(Path dir, int n) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.sorted().limit(n).toList()) {
                out.add(Files.readAllBytes(p));
            }
            return out;
        }
    }
}
