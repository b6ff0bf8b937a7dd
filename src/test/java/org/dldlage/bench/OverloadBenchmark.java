package org.dldlage.bench;

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
 * answer (I/O errors, connect or client timeouts), p50/p99 of the answered, the service's CPU per 200 and the
 * load generator's share of the machine's CPU (it runs on the same cores). Then the price of a refusal,
 * measured alone: a service with no backlog whose places are all held by uploads that never finish, so that
 * every request of a closed loop is refused; its CPU and the load generator's over the refusals. Prints two
 * Markdown tables.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.OverloadBenchmark \
 *     -Dexec.args="--seconds=10 --warmup=3"   # [--aligns=none,mtcnn] [--limit=64] [--model=model-store/utk-appa-aaf-tinyagenet-64] [--args=--age.x=y,...]
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
        Path model = Path.of(o.getOrDefault("model", "model-store/utk-appa-aaf-tinyagenet-64"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "8"));
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
                        + "| service CPU-ms per 200 | load generator's CPU share | other processes' CPU share |%n"
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
        String cost = refusalCost(jar, port, serviceArgs, inputs, aligns, limit, seconds);
        String out = table + String.format(Locale.ROOT, "%nLoad average before: %s, after: %s. Service: `java -jar target/dldl-age.jar %s`.%n%n",
                load0, Machine.loadAverage(), String.join(" ", serviceArgs)) + cost;
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
            return String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f%% | %d | %d | %d | %d | %d | %.0f / %.0f | %.2f | %.0f%% | %.0f%% |%n",
                    align, load, out.throughput(), 100 * out.throughput() / base.out.throughput(), out.answered200(), out.tooMany.get(),
                    out.unavailable.get(), out.deadline.get(), unanswered, out.percentile(0.5), out.percentile(0.99), cpuPer200(),
                    share(clientCpu), Math.max(0, share(machineCpu - serviceCpu - clientCpu)));
        }

        double share(double cpuSeconds) {
            return 100 * cpuSeconds / (wall * Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * The price of a refusal alone: a service without a backlog whose {@code limit} places are held by uploads
     * that send their headers and never their body, then 64 closed-loop clients, every one of whose requests
     * is refused at the door.
     */
    private static String refusalCost(Path jar, int port, List<String> serviceArgs, Map<String, List<byte[]>> inputs,
            List<String> aligns, int limit, int seconds) throws Exception {
        List<String> args = new ArrayList<>(serviceArgs);
        args.add("--age.admission.backlog=0");
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "The price of a refusal: `%s`, every place held by an "
                + "upload that never sends its body, 64 closed-loop clients for %d s, each request refused at the door.%n%n"
                + "| body | refusals/s | other answers | service CPU-ms per refusal | load generator CPU-ms per refusal "
                + "| service / load generator / other processes' CPU share |%n|---|---|---|---|---|---|%n", String.join(" ", args), seconds));
        try (ServiceProcess svc = ServiceProcess.start(jar, port, args, Map.of(), Path.of("target", "bench", "overload-refusals.log"))) {
            List<java.net.Socket> holders = new ArrayList<>();
            try {
                byte[] head = ("POST /v1/age?align=none HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                        + "Content-Length: 1000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int i = 0; i < limit; i++) {
                    java.net.Socket h = new java.net.Socket("127.0.0.1", port);
                    h.getOutputStream().write(head);
                    h.getOutputStream().flush();
                    holders.add(h);
                }
                Thread.sleep(2000); // all admitted, each blocked reading its body
                for (String align : aligns) {
                    String body = align.equals("none") ? "UTKFace crop" : "FG-NET photo";
                    LoadGenerator gen = new LoadGenerator(LoadGenerator.newClient(null), svc.base() + "/v1/age?align=" + align, inputs.get(align));
                    Row r = Row.measure(svc, m -> gen.closedLoop(64, Duration.ofSeconds(1), Duration.ofSeconds(seconds), m));
                    long refused = r.out.tooMany.get();
                    s.append(String.format(Locale.ROOT, "| %s (mean %.0f KB) | %.0f | %d | %.3f | %.3f | %.0f%% / %.0f%% / %.0f%% |%n", body,
                            inputs.get(align).stream().mapToInt(b -> b.length).average().orElse(0) / 1024, refused / r.wall,
                            r.out.sent.get() - refused, 1000 * r.serviceCpu / Math.max(1, refused), 1000 * r.clientCpu / Math.max(1, refused),
                            r.share(r.serviceCpu), r.share(r.clientCpu), Math.max(0, r.share(r.machineCpu - r.serviceCpu - r.clientCpu))));
                }
            } finally {
                for (java.net.Socket h : holders) { // before the service stops: a graceful shutdown would wait for them
                    h.close();
                }
            }
        }
        return s.toString();
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
