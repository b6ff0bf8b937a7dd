package org.dldlage.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.align.FaceAligner;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.model.AgeModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * The benchmark entry point of issue 7 (not a test): prints each table as it is measured and writes
 * {@code docs/benchmarks.md} with the PNG plots beside it. Phases:
 * <ul>
 *   <li>{@code model}: Table 2 (bare networks), the batch-size sweep of the bare network and of the
 *       served bundle as the inference worker runs it, the single-image pipeline in-process;
 *   <li>{@code service}: the packaged jar as a separate process on loopback: closed-loop cells
 *       (align none/mtcnn × 1/4/16/64 clients, batching on and max-batch-size=1), the 10,000-request
 *       soak with memory, open-loop overload at 2× the measured capacity, and batching variants.
 * </ul>
 * <pre>
 * ./mvnw -B -o package -DskipTests
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.Benchmarks \
 *     -Dexec.args="--model=model-store/utk-appa-aaf-tinyagenet-64"   [--phases=model,service] [--quick] [--seconds=8]
 * </pre>
 * Each phase keeps its tables in {@code target/bench/}, so one phase can be re-run and the document
 * is re-assembled from the latest of each; the hand-written "Reading" block of the document is kept.
 */
public final class Benchmarks {

    static final int[] CLIENTS = {1, 4, 16, 64};
    static final String READING_BEGIN = "<!-- reading: hand-written, kept when the benchmark rewrites this file -->";
    static final String READING_END = "<!-- end of reading -->";
    private static final Path WORK = Path.of("target", "bench");
    private static final Path DOCS = Path.of("docs");

    private final Options o;
    private final List<byte[]> crops;
    private final List<byte[]> photos;
    private final int threads;

    private Benchmarks(Options o) throws IOException {
        this.o = o;
        Path data = Path.of(System.getProperty("dldl.shared.dir", "../shared")).resolve("data");
        this.crops = read(data.resolve("utkface").resolve("images"), 256);
        this.photos = read(data.resolve("fgnet").resolve("images"), 64);
        this.threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads"));
    }

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(args);
        Options o = Options.parse(args);
        Files.createDirectories(WORK);
        o = o.withModel(snapshot(o.model));
        Benchmarks b = new Benchmarks(o);
        write(WORK.resolve("0-machine.md"), b.machine());
        if (o.phases.contains("weights")) { // does the forward time depend on the weights? random against trained, interleaved
            Path bundle = o.model;
            StringBuilder md = new StringBuilder("### Does the time depend on the weights or on the input layout?\n\n");
            md.append("`--phases=weights`: TinyAgeNet at 64, batch 64, median of 10 passes, ").append(b.threads)
                    .append(" intra-op thread(s), three interleaved rounds; random initial weights against the served bundle's trained ")
                    .append("ones, and a contiguous N×3×S×S input against the same shape with N×S×S×3 strides (channels-last, which is ")
                    .append("what the served model gets after staging interleaved RGB bytes). Load average before: ")
                    .append(Machine.loadAverage()).append(".\n\n| round | random, NCHW ms | trained, NCHW ms | random, channels-last ms | trained, channels-last ms |\n|---|---|---|---|---|\n");
            Thread t = new Thread(() -> {
                JniUtils.setNumThreads(b.threads);
                try (AgeModel model = AgeModel.load(bundle, Device.cpu());
                        ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
                    org.dldlage.model.net.AgeNet random = ModelBenchmark.network(org.dldlage.model.net.Architecture.TINY);
                    random.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, org.dldlage.model.net.AgeNet.inputShape(64));
                    for (int round = 0; round < 3; round++) {
                        String row = String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |%n", round + 1,
                                ModelBenchmark.medianMs(random, m, 64, 64, 10), ModelBenchmark.medianMs(model.network(), m, 64, 64, 10),
                                ModelBenchmark.medianMs(random, m, 64, 64, 10, true),
                                ModelBenchmark.medianMs(model.network(), m, 64, 64, 10, true));
                        System.out.print(row);
                        md.append(row);
                    }
                }
            });
            t.start();
            t.join();
            write(WORK.resolve("1b-layout.md"), md.append('\n').toString());
        }
        if (o.phases.contains("model")) {
            String before = Machine.loadAverage();
            b.modelPhase();
            write(WORK.resolve("load-model.txt"), before + "\n" + Machine.loadAverage());
        }
        List<String> phases = o.phases.contains("service") ? List.of("http", "overload", "soak", "variants", "arena") : o.phases;
        for (String phase : phases) {
            String before = Machine.loadAverage();
            switch (phase) {
                case "model", "doc", "weights" -> { // model ran above; doc: only re-assemble docs/benchmarks.md
                    continue;
                }
                case "http" -> b.httpPhase();
                case "overload" -> b.overloadPhase();
                case "soak" -> b.soakPhase();
                case "variants" -> b.variantsPhase();
                case "arena" -> b.arenaPhase();
                default -> throw new IllegalArgumentException("unknown phase " + phase
                        + " (model, http, overload, soak, variants, arena, doc; service = all but model and doc)");
            }
            write(WORK.resolve("load-" + phase + ".txt"), before + "\n" + Machine.loadAverage());
            assemble(); // after each phase: an interrupted run still leaves what it measured
        }
        assemble();
        System.out.println("wrote " + DOCS.resolve("benchmarks.md"));
    }

    // ---------------------------------------------------------------- machine

    /** FP32 peak: cores × clock × FMA pipes × lanes × 2 (an FMA is two FLOPs). */
    static double peakGflops(int cores, double ghz, boolean avx512) {
        return cores * ghz * 2 * (avx512 ? 16 : 8) * 2;
    }

    static double clockGhz(String lscpu) {
        String mhz = Machine.field(lscpu, "CPU max MHz:");
        if (mhz.equals("?")) {
            mhz = Machine.field(lscpu, "CPU MHz:");
        }
        if (!mhz.equals("?")) {
            return Double.parseDouble(mhz) / 1000;
        }
        String bogo = Machine.field(lscpu, "BogoMIPS:"); // x86: twice the TSC frequency
        return bogo.equals("?") ? Double.NaN : Double.parseDouble(bogo) / 2000;
    }

    private String machine() {
        String lscpu = Machine.lscpu();
        int cores = Runtime.getRuntime().availableProcessors();
        boolean avx512 = lscpu.contains("avx512f");
        double ghz = clockGhz(lscpu);
        StringBuilder s = new StringBuilder("## Machine\n\n");
        s.append("- CPU: ").append(Machine.describe()).append('\n');
        s.append("- Clock: ").append(String.format(Locale.ROOT, "%.3f GHz", ghz)).append(lscpu.contains("CPU MHz") ? " (lscpu)"
                : " (lscpu gives no MHz in this VM: BogoMIPS / 2, i.e. the TSC frequency; boost clocks are not visible to the guest)")
                .append('\n');
        s.append(String.format(Locale.ROOT, "- FP32 peak: %d cores × %.3f GHz × 2 FMA pipes × %d FP32 lanes × 2 FLOPs per FMA = **%.1f GFLOP/s**%n",
                cores, ghz, avx512 ? 16 : 8, peakGflops(cores, ghz, avx512)));
        s.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", max heap of the benchmark JVM ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        s.append("- Engine: DJL ").append(Engine.class.getPackage().getImplementationVersion() == null ? "0.25.0"
                : Engine.class.getPackage().getImplementationVersion()).append(", ").append(Engine.getInstance().getEngineName())
                .append(' ').append(Engine.getInstance().getVersion()).append(" (CPU native library)\n");
        s.append("- Threads: PyTorch intra-op ").append(threads).append(", inter-op ")
                .append(System.getProperty("ai.djl.pytorch.num_interop_threads"))
                .append(" (the service's defaults: intra-op = cores, applied to its inference worker; MTCNN 1 per request thread; ")
                .append("`age.detection.concurrency` = cores)\n");
        s.append("- Load average when this run started: ").append(Machine.loadAverage()).append('\n');
        s.append("\n<details><summary>lscpu</summary>\n\n```\n").append(lscpu.strip()).append("\n```\n</details>\n");
        return s.toString();
    }

    // ---------------------------------------------------------------- model phase

    private void modelPhase() throws Exception {
        String lscpu = Machine.lscpu();
        double peak = peakGflops(Runtime.getRuntime().availableProcessors(), clockGhz(lscpu), lscpu.contains("avx512f"));
        StringBuilder md = new StringBuilder();
        Exception[] failure = new Exception[1];
        // on a fresh thread with the engine's thread count, like the service's inference worker (PyTorch keeps it per thread)
        Thread t = new Thread(() -> {
            try {
                JniUtils.setNumThreads(threads);
                md.append(modelMeasurements(peak));
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "bench-model");
        t.start();
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        write(WORK.resolve("1-model.md"), md.toString());
    }

    private String modelMeasurements(double peak) throws IOException {
        String load0 = Machine.loadAverage();
        int runs = o.quick ? 3 : 10;
        System.out.println(ModelBenchmark.engineLine(Device.cpu()));
        List<ModelBenchmark.Table2Row> table2 = ModelBenchmark.table2(Device.cpu(), runs);
        String t2 = ModelBenchmark.table2Markdown(table2, peak);
        System.out.println(t2);
        List<ModelBenchmark.SweepRow> bare = ModelBenchmark.sweep(Device.cpu(), o.quick ? 5 : 20);

        // the served bundle as the worker runs it: staging, normalisation, mirror averaging, softmax, expectation
        List<double[]> served = new ArrayList<>(); // batch, ms
        List<double[]> servedOne = new ArrayList<>(); // the same with 1 intra-op thread
        double singleP50;
        double singleDecode;
        String modelName;
        ImageDecoder decoder = new ImageDecoder();
        try (AgeModel model = AgeModel.load(o.model, Device.cpu())) {
            modelName = model.manifest().name() + " (" + model.manifest().architecture() + ", input " + model.inputSize() + ")";
            List<byte[]> faces = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                faces.add(FaceAligner.none(decoder.decode(crops.get(i)), model.inputSize()));
            }
            served.addAll(servedSweep(model, faces));
            if (threads > 1) { // how much the second intra-op thread buys (PyTorch keeps the setting per thread)
                JniUtils.setNumThreads(1);
                servedOne.addAll(servedSweep(model, faces));
                JniUtils.setNumThreads(threads);
            }
            int n = o.quick ? 20 : 200;
            double[] total = new double[n];
            double[] decode = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                BufferedImage img = decoder.decode(crops.get(i % crops.size()));
                long t1 = System.nanoTime();
                model.predict(List.of(FaceAligner.none(img, model.inputSize())), true);
                total[i] = (System.nanoTime() - t0) / 1e6;
                decode[i] = (t1 - t0) / 1e6;
            }
            singleP50 = LoadGenerator.Outcome.percentile(total, 0.5);
            singleDecode = LoadGenerator.Outcome.percentile(decode, 0.5);
        } catch (org.dldlage.face.decode.ImageDecodeException e) {
            throw new IOException(e);
        }
        double raw32 = 32 * 1000 / served.get(5)[1];
        Properties ref = new Properties();
        ref.setProperty("raw32", Double.toString(raw32));
        ref.setProperty("single", Double.toString(singleP50));
        ref.setProperty("model", modelName);
        try (var w = Files.newBufferedWriter(WORK.resolve("reference.properties"))) {
            ref.store(w, "from the model phase");
        }

        StringBuilder s = new StringBuilder();
        s.append("## 1. Table 2 on this machine\n\n");
        s.append("Randomly initialised networks (time does not depend on the weights), batch of 32, FP32, eval mode, the median of ")
                .append(runs).append(" passes after 3 warm-up passes; GFLOPs per image = 2 × multiply-adds of the 13 convolutions and ")
                .append("the FC layer, computed from the layer shapes (BN, ReLU, pooling left out). Load average before: ")
                .append(load0).append(", after: ").append(Machine.loadAverage()).append(".\n\n");
        s.append(t2).append('\n');
        s.append("The paper (Table 2, an M40 GPU): ThinAgeNet 3.7M parameters, 51.05 ms per batch of 32 at 224; TinyAgeNet 0.9M, 24.26 ms.\n\n");

        s.append("## 2. Batch-size sweep\n\n");
        s.append("Bare network (random TinyAgeNet at 64, median of ").append(o.quick ? 5 : 20)
                .append(" passes) and the served bundle `").append(modelName)
                .append("` through `AgeModel.predict` exactly as the inference worker calls it (mirror averaging: 2N images per pass; ")
                .append("staging, normalisation, softmax and expectation included; median).\n\n");
        s.append("| batch (faces) | bare forward, ms | bare, images/s | served (flip), ms per batch | served, faces/s | served, ms per face |")
                .append(servedOne.isEmpty() ? "" : " served, 1 intra-op thread: ms per batch | faces/s |").append('\n');
        s.append("|---|---|---|---|---|---|").append(servedOne.isEmpty() ? "" : "---|---|").append('\n');
        for (int i = 0; i < ModelBenchmark.BATCHES.length; i++) {
            ModelBenchmark.SweepRow r = bare.get(i);
            double[] v = served.get(i);
            s.append(String.format(Locale.ROOT, "| %d | %.2f | %.0f | %.2f | %.0f | %.3f |", r.batch(), r.ms(), r.imagesPerSecond(),
                    v[1], v[0] * 1000 / v[1], v[1] / v[0]));
            if (!servedOne.isEmpty()) {
                double[] w = servedOne.get(i);
                s.append(String.format(Locale.ROOT, " %.2f | %.0f |", w[1], w[0] * 1000 / w[1]));
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%nSingle-image pipeline in-process (decode + resize + one forward pass with flip, batch 1), p50 of %d: "
                + "**%.2f ms** (decode alone %.2f ms). Raw batched forward of the served bundle, batch 32 with flip: **%.0f faces/s**.%n%n",
                o.quick ? 20 : 200, singleP50, singleDecode, raw32));
        s.append("![throughput versus batch size](bench-throughput-vs-batch.png)\n\n");
        System.out.println(s);

        XYChart chart = new XYChartBuilder().width(800).height(450).title("Throughput versus batch size (CPU, "
                + threads + " intra-op threads)").xAxisTitle("batch size (faces)").yAxisTitle("faces (images) per second").build();
        chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideSE);
        double[] x = Arrays.stream(ModelBenchmark.BATCHES).asDoubleStream().toArray();
        chart.addSeries("bare TinyAgeNet 64, images/s", x, bare.stream().mapToDouble(ModelBenchmark.SweepRow::imagesPerSecond).toArray());
        chart.addSeries("served bundle with flip, faces/s", x, served.stream().mapToDouble(v -> v[0] * 1000 / v[1]).toArray());
        if (!servedOne.isEmpty()) {
            chart.addSeries("served bundle with flip, 1 intra-op thread", x,
                    servedOne.stream().mapToDouble(v -> v[0] * 1000 / v[1]).toArray());
        }
        save(chart, "bench-throughput-vs-batch.png");
        return s.toString();
    }

    /** Median ms of {@code AgeModel.predict(batch, flip)} for each batch size. */
    private List<double[]> servedSweep(AgeModel model, List<byte[]> faces) {
        List<double[]> rows = new ArrayList<>();
        for (int b : ModelBenchmark.BATCHES) {
            List<byte[]> batch = faces.subList(0, b);
            for (int i = 0; i < 3; i++) {
                model.predict(batch, true);
            }
            int n = o.quick ? 5 : Math.max(10, 400 / b);
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                model.predict(batch, true);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            rows.add(new double[] {b, LoadGenerator.Outcome.percentile(ms, 0.5)});
        }
        return rows;
    }

    // ---------------------------------------------------------------- service phase

    /** One closed-loop measurement. */
    record Cell(String config, String align, int clients, LoadGenerator.Outcome out, double serverCpu, double clientCpu,
            double machineCpu, long peakRss) {

        double seconds() {
            return out.seconds;
        }

        String row() {
            double n = Math.max(1, out.answered200());
            double http = out.percentile(0.5) - out.percentileStage("totalMs", 0.5);
            return String.format(Locale.ROOT,
                    "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %.1f | %.2f / %.2f / %.2f / %.2f / %.2f | %.1f | %.1f / %.1f / %.0f%% | %.0f |",
                    config, align, clients, out.throughput(), out.percentile(0.5), out.percentile(0.95), out.percentile(0.99),
                    out.errors(), out.tooMany.get(), out.deadline.get(), out.meanStage("batchSize"), out.meanStage("decodeMs"),
                    out.meanStage("detectMs"), out.meanStage("alignMs"), out.meanStage("queueMs"), out.meanStage("inferenceMs"), http,
                    1000 * serverCpu / n, 1000 * clientCpu / n,
                    Math.max(0, 100 * (machineCpu - serverCpu - clientCpu) / (seconds() * cores())),
                    peakRss / 1048576.0);
        }

        static int cores() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static final String CELL_HEADER = "| config | align | clients | req/s | p50 ms | p95 ms | p99 ms | errors | 429 | 504 | mean batch "
            + "| server-side mean ms: decode / detect / align / queue / inference (of the batch) | HTTP + client p50 ms "
            + "| CPU ms per request: service / load generator / other processes (% of machine) | peak RSS MiB |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    private Properties reference() throws IOException {
        Properties ref = new Properties();
        if (Files.isRegularFile(WORK.resolve("reference.properties"))) {
            try (var r = Files.newBufferedReader(WORK.resolve("reference.properties"))) {
                ref.load(r);
            }
        }
        return ref;
    }

    private void saveReference(Properties ref) throws IOException {
        try (var w = Files.newBufferedWriter(WORK.resolve("reference.properties"))) {
            ref.store(w, "between phases");
        }
    }

    private static Path jar() {
        Path jar = Path.of("target", "dldl-age.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run ./mvnw -B -o package -DskipTests first");
        }
        return jar;
    }

    private Duration warm() {
        return Duration.ofSeconds(o.quick ? 1 : 2);
    }

    private String cellsIntro(String load0, String load1) {
        return "The packaged jar as its own process on 127.0.0.1, a closed-loop load generator (`bench.LoadGenerator`, java.net.http, "
                + "HTTP/1.1 keep-alive, raw `image/jpeg` bodies, `distribution=false`) in the benchmark JVM on the same 2 cores. "
                + "`align=none`: UTKFace crops (200×200 JPEG); `align=mtcnn`: FG-NET photos (about 400×500, uncropped). Each cell: "
                + warm().toSeconds() + " s warm-up, then " + o.seconds + " s measured (answers arriving in the window). Latency is the "
                + "client's; the stage means are the response's `timings` (queue = wait in the micro-batcher, inference = the forward "
                + "pass of the whole batch the face rode in). CPU per request from /proc (service process, this JVM, and the rest of the "
                + "machine: the last is other people's jobs). Load average before: " + load0 + ", after: " + load1 + ".\n\n";
    }

    /** Section 3: align none/mtcnn × 1/4/16/64 clients, batching on and max-batch-size=1. */
    private void httpPhase() throws Exception {
        Path jar = jar();
        Properties ref = reference();
        int[] clients = o.quick ? new int[] {1, 4} : CLIENTS;
        Duration measure = Duration.ofSeconds(o.seconds);
        List<Cell> cells = new ArrayList<>();
        String load0 = Machine.loadAverage();
        HttpClient client = LoadGenerator.newClient(null);
        List<String> commands = new ArrayList<>();
        try (ServiceProcess svc = start(jar, List.of(), "batching")) {
            commands.add(String.join(" ", svc.command));
            cells.addAll(closedCells(svc, client, "batching (32, 5ms)", clients, warm(), measure));
        }
        try (ServiceProcess svc = start(jar, List.of("--age.batching.max-batch-size=1"), "batch1")) {
            commands.add(String.join(" ", svc.command));
            cells.addAll(closedCells(svc, client, "max-batch-size=1", clients, warm(), measure));
        }
        String load1 = Machine.loadAverage();
        ref.setProperty("capacity", Double.toString(cells.stream().filter(c -> c.align().equals("none"))
                .mapToDouble(c -> c.out().throughput()).max().orElse(100)));
        saveReference(ref);

        StringBuilder s = new StringBuilder("## 3. The service over HTTP\n\n");
        s.append(cellsIntro(load0, load1));
        s.append("Service command lines:\n\n```\n").append(String.join("\n", commands)).append("\n```\n\n");
        s.append(CELL_HEADER);
        cells.forEach(c -> s.append(c.row()).append('\n'));
        if (ref.getProperty("raw32") != null) {
            double raw32 = Double.parseDouble(ref.getProperty("raw32"));
            double single = Double.parseDouble(ref.getProperty("single"));
            Cell one = find(cells, "batching (32, 5ms)", "none", 1);
            s.append(String.format(Locale.ROOT, "%nIssue 5's targets, align=none, batching on (reference from section 2: raw batched forward "
                    + "%.0f faces/s, single-image pipeline p50 %.2f ms):%n%n| target | measured | met |%n|---|---|---|%n", raw32, single));
            for (int c : clients) {
                if (c < 4) {
                    continue;
                }
                Cell cell = find(cells, "batching (32, 5ms)", "none", c);
                double share = cell.out().throughput() / raw32;
                s.append(String.format(Locale.ROOT, "| %d clients ≥ 80%% of raw batched forward | %.0f req/s = %.0f%% | %s |%n", c,
                        cell.out().throughput(), 100 * share, share >= 0.8 ? "yes" : "no"));
            }
            if (one != null) {
                double ratio = one.out().percentile(0.5) / single;
                double server = one.out().percentileStage("totalMs", 0.5) / single;
                s.append(String.format(Locale.ROOT, "| p50 at 1 client ≤ 1.2 × single-image pipeline | %.2f ms = %.2f× (server-side total p50 %.2f ms = %.2f×) | %s |%n",
                        one.out().percentile(0.5), ratio, one.out().percentileStage("totalMs", 0.5), server, ratio <= 1.2 ? "yes" : "no"));
            }
        }
        s.append("\n![latency versus concurrency, align=none](bench-latency-none.png)\n");
        s.append("![latency versus concurrency, align=mtcnn](bench-latency-mtcnn.png)\n");
        s.append("![throughput versus concurrency](bench-throughput-vs-concurrency.png)\n\n");
        System.out.println(s);
        write(WORK.resolve("2-service.md"), s.toString());
        for (String align : List.of("none", "mtcnn")) {
            latencyChart(cells, align, clients);
        }
        throughputChart(cells, clients);
    }

    /** Section 3b: other batching and thread settings, align=none at 1, 16, 64 clients (mtcnn too for threads=1). */
    private void variantsPhase() throws Exception {
        Path jar = jar();
        HttpClient client = LoadGenerator.newClient(null);
        Duration measure = Duration.ofSeconds(o.seconds);
        List<Cell> cells = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        String load0 = Machine.loadAverage();
        for (String v : List.of("--age.engine.threads=1", "--age.batching.max-delay=0ms", "--age.batching.max-delay=2ms",
                "--age.batching.max-delay=10ms", "--age.batching.max-batch-size=8")) {
            if (!v.contains(o.only)) {
                continue;
            }
            try (ServiceProcess svc = start(jar, List.of(v), v.substring(v.lastIndexOf('.') + 1))) {
                commands.add(String.join(" ", svc.command));
                String name = v.substring("--age.".length());
                for (int c : o.quick ? new int[] {1} : new int[] {1, 16, 64}) {
                    cells.add(closedCell(svc, client, name, "none", c, warm(), measure));
                }
                if (v.contains("threads")) {
                    for (int c : o.quick ? new int[] {1} : new int[] {1, 16}) {
                        cells.add(closedCell(svc, client, name, "mtcnn", c, warm(), measure));
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder("## 3b. Other batching and thread settings\n\n");
        s.append(cellsIntro(load0, Machine.loadAverage()));
        s.append("Each row's service: the defaults plus the one setting named in the first column.\n\n");
        s.append(CELL_HEADER);
        cells.forEach(c -> s.append(c.row()).append('\n'));
        s.append('\n');
        System.out.println(s);
        write(WORK.resolve("2b-variants.md"), s.toString());
    }

    /** Section 5: the soak with memory, defaults. */
    private void soakPhase() throws Exception {
        HttpClient client = LoadGenerator.newClient(null);
        try (ServiceProcess svc = start(jar(), List.of(), "soak")) {
            write(WORK.resolve("4a-memory.md"), soak(svc, client, svc.memory(), "## 5. Memory\n\n"));
        }
    }

    /** Section 5, continued: the same soak with MALLOC_ARENA_MAX=2. */
    private void arenaPhase() throws Exception {
        write(WORK.resolve("4b-arena.md"), arenaSoak(jar(), LoadGenerator.newClient(null)));
    }

    /** Section 4: open loop at 2 × the capacity measured by the http phase (or --capacity=N). */
    private void overloadPhase() throws Exception {
        double capacity = o.capacity > 0 ? o.capacity : Double.parseDouble(reference().getProperty("capacity", "100"));
        ExecutorService callbacks = Executors.newFixedThreadPool(4);
        try (ServiceProcess svc = start(jar(), List.of(), "overload")) {
            write(WORK.resolve("3-overload.md"), overload(svc, LoadGenerator.newClient(callbacks), capacity));
        } finally {
            callbacks.shutdownNow();
        }
    }

    /** The same soak with glibc limited to 2 malloc arenas: tells allocator fragmentation across request threads from a leak. */
    private String arenaSoak(Path jar, HttpClient client) throws Exception {
        try (ServiceProcess svc = start(jar, List.of(), Map.of("MALLOC_ARENA_MAX", "2"), "arena2")) {
            return soak(svc, client, svc.memory(), "### The same soak with `MALLOC_ARENA_MAX=2`\n\n");
        }
    }

    private ServiceProcess start(Path jar, List<String> extra, String name) throws IOException, InterruptedException {
        return start(jar, extra, Map.of(), name);
    }

    private ServiceProcess start(Path jar, List<String> extra, Map<String, String> env, String name)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--age.model.path=" + o.model));
        args.addAll(extra);
        System.out.println("starting the service: " + env + " " + String.join(" ", args));
        ServiceProcess svc = ServiceProcess.start(jar, o.port, args, env, WORK.resolve("service-" + name + ".log"));
        Runtime.getRuntime().addShutdownHook(new Thread(svc::close)); // killed even when the benchmark is interrupted
        System.out.printf(Locale.ROOT, "  ready after %.1f s, pid %d%n", svc.startSeconds, svc.pid());
        return svc;
    }

    private List<Cell> closedCells(ServiceProcess svc, HttpClient client, String config, int[] clients, Duration warm,
            Duration measure) throws InterruptedException {
        List<Cell> cells = new ArrayList<>();
        for (String align : List.of("none", "mtcnn")) {
            for (int c : clients) {
                cells.add(closedCell(svc, client, config, align, c, warm, measure));
            }
        }
        return cells;
    }

    private Cell closedCell(ServiceProcess svc, HttpClient client, String config, String align, int clients, Duration warm,
            Duration measure) throws InterruptedException {
        LoadGenerator gen = generator(svc, client, align);
        long self = ProcessHandle.current().pid();
        double[] marks = new double[6];
        int[] k = {0};
        long[] peak = {0};
        Thread sampler = rssSampler(svc, peak);
        LoadGenerator.Outcome out = gen.closedLoop(clients, warm, measure, () -> {
            int i = k[0]++ * 3;
            marks[i] = svc.cpuSeconds();
            marks[i + 1] = Machine.processCpuSeconds(self);
            marks[i + 2] = Machine.machineBusySeconds();
        });
        sampler.interrupt();
        Cell cell = new Cell(config, align, clients, out, marks[3] - marks[0], marks[4] - marks[1], marks[5] - marks[2], peak[0]);
        System.out.println(cell.row() + (out.firstError == null ? "" : "  first error: " + out.firstError));
        return cell;
    }

    private LoadGenerator generator(ServiceProcess svc, HttpClient client, String align) {
        return new LoadGenerator(client, svc.base() + "/v1/age?align=" + align + "&distribution=false",
                align.equals("none") ? crops : photos);
    }

    private static Thread rssSampler(ServiceProcess svc, long[] peak) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], svc.rss());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** 10 rounds of 900 align=none + 100 align=mtcnn requests from 16 clients; memory after each round. */
    private String soak(ServiceProcess svc, HttpClient client, ServiceProcess.Memory idle, String heading) throws Exception {
        int rounds = 10;
        int none = o.quick ? 90 : 900;
        int mtcnn = o.quick ? 10 : 100;
        LoadGenerator a = generator(svc, client, "none");
        LoadGenerator b = generator(svc, client, "mtcnn");
        List<long[]> rss = new ArrayList<>(); // requests so far, RSS, threads
        ServiceProcess.Memory[] underLoad = new ServiceProcess.Memory[1];
        long errors = 0;
        long ok = 0;
        long[] peak = {0};
        Thread sampler = rssSampler(svc, peak);
        long t0 = System.nanoTime();
        for (int r = 1; r <= rounds; r++) {
            Thread probe = null;
            if (r == rounds / 2) { // heap and native while the requests run
                probe = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                        underLoad[0] = svc.memory();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                probe.start();
            }
            LoadGenerator.Outcome x = a.closedLoopCount(16, none, () -> 0);
            long afterNone = svc.rss();
            LoadGenerator.Outcome y = b.closedLoopCount(16, mtcnn, () -> 0);
            if (probe != null) {
                probe.join(60_000);
            }
            errors += x.errors() + y.errors() + x.tooMany.get() + y.tooMany.get() + x.deadline.get() + y.deadline.get();
            ok += x.answered200() + y.answered200();
            rss.add(new long[] {(long) r * (none + mtcnn), afterNone, svc.rss(), svc.threads()});
            System.out.printf(Locale.ROOT, "  soak: %d requests, RSS %.1f MiB, %d threads%n", r * (none + mtcnn), svc.rss() / 1048576.0,
                    svc.threads());
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(9)) { // bounded even on a very busy machine
                System.out.println("  soak stopped after 9 minutes");
                break;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        Thread.sleep(2000);
        ServiceProcess.Memory after = svc.memory();
        svc.jcmd("GC.run");
        Thread.sleep(1000);
        ServiceProcess.Memory afterGc = svc.memory();

        StringBuilder s = new StringBuilder(heading);
        int total = rss.size() * (none + mtcnn);
        s.append(heading.startsWith("## ") ? "A fresh service process with the defaults (JVM defaults: no -Xmx, so the heap may grow to a quarter of RAM; "
                + "`-XX:NativeMemoryTracking=summary` to split heap and native). "
                : "A fresh service process, defaults, with `MALLOC_ARENA_MAX=2` in its environment (glibc then keeps at most 2 malloc "
                + "arenas instead of up to 8 per core, one per thread that allocates natively: the request threads run MTCNN "
                + "and decode). ");
        s.append(String.format(Locale.ROOT, "Idle is right after readiness; the soak is %d requests (%d rounds of %d align=none + %d align=mtcnn, 16 clients) in %.0f s, %d answered 200, "
                + "%d not. \"JVM committed\" is everything the JVM accounts for (heap, metaspace, code cache, thread stacks, GC, direct "
                + "buffers: NMT); \"outside the JVM\" = RSS − JVM committed (capped at 0), i.e. mostly PyTorch (libtorch's code and "
                + "allocator) and glibc arenas; approximate, since not every committed page is resident.%n%n",
                total, rss.size(), none, mtcnn, seconds, ok, total - ok));
        s.append("| when | RSS MiB | heap used MiB | heap committed MiB | JVM committed MiB | outside the JVM MiB | threads |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        s.append(memoryRow("idle after start-up", idle));
        if (underLoad[0] != null) {
            s.append(memoryRow("under load (soak round " + rounds / 2 + ")", underLoad[0]));
        }
        s.append(memoryRow("after the soak", after));
        s.append(memoryRow("after the soak and a full GC (jcmd GC.run)", afterGc));
        s.append(String.format(Locale.ROOT, "%nPeak RSS during the soak: %.1f MiB. RSS after each round:%n%n"
                + "| requests | RSS after the round's align=none part, MiB | RSS after its align=mtcnn part, MiB | threads |%n|---|---|---|---|%n",
                peak[0] / 1048576.0));
        for (long[] v : rss) {
            s.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %d |%n", v[0], v[1] / 1048576.0, v[2] / 1048576.0, v[3]));
        }
        int last = rss.size() - 1;
        int mid = rss.size() / 2;
        s.append(String.format(Locale.ROOT, "%nGrowth from round 2 to round %d (%,d requests): %+.1f MiB; over the second half (rounds %d to %d): %+.1f MiB.%n%n",
                last + 1, rss.get(last)[0] - rss.get(Math.min(1, last))[0], (rss.get(last)[2] - rss.get(Math.min(1, last))[2]) / 1048576.0,
                mid + 1, last + 1, (rss.get(last)[2] - rss.get(mid)[2]) / 1048576.0));
        System.out.println(s);
        return s.toString();
    }

    private static String memoryRow(String when, ServiceProcess.Memory m) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n", when, m.rss() / 1048576.0,
                m.heapUsed() / 1048576.0, m.heapCommitted() / 1048576.0, m.jvmCommitted() / 1048576.0, m.outsideJvm() / 1048576.0,
                m.threads());
    }

    /** Open loop at twice the best closed-loop align=none throughput. */
    private String overload(ServiceProcess svc, HttpClient async, double capacity) throws Exception {
        double rate = 2 * capacity;
        Duration duration = Duration.ofSeconds(o.quick ? 5 : 60);
        LoadGenerator gen = generator(svc, async, "none");
        AtomicLong notSent = new AtomicLong();
        long[] peak = {0};
        Thread sampler = rssSampler(svc, peak);
        long self = ProcessHandle.current().pid();
        double s0 = svc.cpuSeconds();
        double c0 = Machine.processCpuSeconds(self);
        double m0 = Machine.machineBusySeconds();
        long t0 = System.nanoTime();
        LoadGenerator.Outcome out = gen.openLoop(rate, duration, 2000, notSent);
        double wall = (System.nanoTime() - t0) / 1e9;
        double serverCpu = svc.cpuSeconds() - s0;
        double clientCpu = Machine.processCpuSeconds(self) - c0;
        double machineCpu = Machine.machineBusySeconds() - m0;
        sampler.interrupt();
        // still alive and answering afterwards?
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(svc.base() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        long sent = out.sent.get();
        double[] rejected = out.rejectedMs.stream().mapToDouble(Double::doubleValue).toArray();
        StringBuilder s = new StringBuilder("## 4. Overload\n\n");
        s.append(String.format(Locale.ROOT, "Open loop, align=none (UTKFace crops), constant arrival rate **%.0f req/s = 2 × %.0f req/s** (the best "
                + "closed-loop align=none throughput of section 3) for %d s, at most 2000 requests in flight (more would "
                + "count as not sent), a fresh service process (defaults: queue-capacity 256, request-timeout 5s, "
                + "detection.concurrency = cores). Latency counted from each request's scheduled send time.%n%n",
                rate, capacity, duration.toSeconds()));
        s.append("| offered | sent | 200 | 429 | 504 | other errors | connect timeouts (10 s) | client timeouts (30 s: hangs) | not sent (2000 in flight) | 200/s (incl. the drain) | 429 share | 504 share |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f%% | %.1f%% |%n",
                rate * duration.toSeconds(), sent, out.answered200(), out.tooMany.get(), out.deadline.get(), out.otherStatus.get() + out.ioErrors.get(),
                out.connectTimeouts.get(), out.timeouts.get(), notSent.get(), out.answered200() / wall, 100.0 * out.tooMany.get() / Math.max(1, sent),
                100.0 * out.deadline.get() / Math.max(1, sent)));
        s.append(String.format(Locale.ROOT, "%n| latency ms | p50 | p95 | p99 | max |%n|---|---|---|---|---|%n| accepted (200) | %.1f | %.1f | %.1f | %.1f |%n"
                + "| refused (429/504) | %.1f | %.1f | %.1f | %.1f |%n", out.percentile(0.5), out.percentile(0.95), out.percentile(0.99),
                out.percentile(1.0), LoadGenerator.Outcome.percentile(rejected, 0.5), LoadGenerator.Outcome.percentile(rejected, 0.95),
                LoadGenerator.Outcome.percentile(rejected, 0.99), LoadGenerator.Outcome.percentile(rejected, 1.0)));
        s.append(String.format(Locale.ROOT, "%nServer-side mean of the accepted: queue %.1f ms, inference %.1f ms, batch %.1f faces, total %.1f ms "
                + "(p99 %.1f ms). CPU: service %.0f%%, load generator %.0f%%, other processes %.0f%% of the machine. Peak RSS %.1f MiB. "
                + "Readiness right after: %d.%s%n%n",
                out.meanStage("queueMs"), out.meanStage("inferenceMs"), out.meanStage("batchSize"), out.meanStage("totalMs"),
                out.percentileStage("totalMs", 0.99), 100 * serverCpu / (wall * Cell.cores()), 100 * clientCpu / (wall * Cell.cores()),
                100 * (machineCpu - serverCpu - clientCpu) / (wall * Cell.cores()), peak[0] / 1048576.0, health.statusCode(),
                out.firstError == null ? "" : " First error: `" + out.firstError.lines().findFirst().orElse("") + "`."));
        System.out.println(s);
        return s.toString();
    }

    private static Cell find(List<Cell> cells, String config, String align, int clients) {
        return cells.stream().filter(c -> c.config().equals(config) && c.align().equals(align) && c.clients() == clients).findFirst()
                .orElse(null);
    }

    private void latencyChart(List<Cell> cells, String align, int[] clients) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(450).title("Latency versus concurrency, align=" + align)
                .xAxisTitle("concurrent clients (closed loop)").yAxisTitle("latency, ms").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] x = Arrays.stream(clients).asDoubleStream().toArray();
        for (String config : List.of("batching (32, 5ms)", "max-batch-size=1")) {
            for (double q : new double[] {0.5, 0.99}) {
                double[] y = Arrays.stream(clients).mapToDouble(c -> find(cells, config, align, c).out().percentile(q)).toArray();
                XYSeries series = chart.addSeries(config + ", p" + Math.round(q * 100), x, y);
                java.awt.Color colour = config.startsWith("batching") ? new java.awt.Color(0x1f77b4) : new java.awt.Color(0xd62728);
                series.setLineColor(colour);
                series.setMarkerColor(colour);
                if (q > 0.5) {
                    series.setLineStyle(SeriesLines.DASH_DASH);
                }
            }
        }
        save(chart, "bench-latency-" + align + ".png");
    }

    private void throughputChart(List<Cell> cells, int[] clients) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(450).title("Service throughput versus concurrency")
                .xAxisTitle("concurrent clients (closed loop)").yAxisTitle("requests per second (200)").build();
        chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] x = Arrays.stream(clients).asDoubleStream().toArray();
        for (String config : List.of("batching (32, 5ms)", "max-batch-size=1")) {
            for (String align : List.of("none", "mtcnn")) {
                chart.addSeries(config + ", " + align, x,
                        Arrays.stream(clients).mapToDouble(c -> find(cells, config, align, c).out().throughput()).toArray());
            }
        }
        save(chart, "bench-throughput-vs-concurrency.png");
    }

    private static void save(XYChart chart, String name) throws IOException {
        Files.createDirectories(DOCS);
        BitmapEncoder.saveBitmap(chart, DOCS.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ---------------------------------------------------------------- the document

    private static void assemble() throws IOException {
        Path doc = DOCS.resolve("benchmarks.md");
        String reading = READING_BEGIN + "\n\n(to be written after a full run)\n\n" + READING_END + "\n";
        if (Files.isRegularFile(doc)) {
            String old = Files.readString(doc);
            int a = old.indexOf(READING_BEGIN);
            int b = old.indexOf(READING_END);
            if (a >= 0 && b > a) {
                reading = old.substring(a, b + READING_END.length()) + "\n";
            }
        }
        StringBuilder s = new StringBuilder("# Benchmarks\n\n");
        s.append("Measured on this project's development machine with `bench.Benchmarks` (issue 7); written by it on ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(". Re-run:\n\n```\n")
                .append("./mvnw -B -o package -DskipTests\n")
                .append("./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.Benchmarks \\\n")
                .append("    -Dexec.args=\"--model=model-store/utk-appa-aaf-tinyagenet-64\"    # [--phases=...] [--seconds=8] [--quick]\n")
                .append("```\n\n")
                .append("Phases (default `model,service`): `model` (sections 1–2, in-process), `http` (3), `variants` (3b), `overload` (4), ")
                .append("`soak` and `arena` (5); `service` = all five service phases (about 30 minutes on this ")
                .append("machine under background load); `weights` (end of section 2: weights and input layout); `doc` only re-assembles this file. Each phase keeps its section in `target/bench/`, so ")
                .append("phases can be run one at a time. The bundle is copied to `target/bench/bundle/` first and served from there.\n\n")
                .append("Table 2 and the bare sweep alone, also on a GPU machine (the same code; `gpu` selects the device): ")
                .append("`./mvnw -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.ModelBenchmark ")
                .append("-Dexec.args=gpu -Pcuda`. Everything stops by itself; the service is started as ")
                .append("`java -jar target/dldl-age.jar` on 127.0.0.1 and killed at the end.\n\n");
        List<String> busy = new ArrayList<>();
        double busiest = 0;
        for (String phase : List.of("model", "http", "overload", "soak", "variants", "arena")) {
            Path f = WORK.resolve("load-" + phase + ".txt");
            if (Files.isRegularFile(f)) { // the 1-minute load average before and after the phase
                double max = 0;
                for (String line : Files.readAllLines(f)) {
                    max = Math.max(max, Double.parseDouble(line.trim().split(" ")[0]));
                }
                if (max > 1.5) {
                    busy.add(phase);
                    busiest = Math.max(busiest, max);
                }
            }
        }
        if (!busy.isEmpty()) {
            s.append(String.format(Locale.ROOT, "**Measured under background load: the %s phase%s** (other jobs on the same 2 cores: "
                    + "1-minute load average up to %.2f at the start or end of a phase; each section gives the load, and each cell "
                    + "the CPU share other processes took). Those numbers are lower bounds for an idle machine.%n%n",
                    String.join(", ", busy), busy.size() > 1 ? "s" : "", busiest));
        }
        s.append(reading).append('\n');
        try (Stream<Path> parts = Files.list(WORK)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().matches("\\d[a-z]?-.*\\.md")).sorted().toList()) {
                s.append(Files.readString(p)).append('\n');
            }
        }
        write(doc, s.toString().replaceAll("\n{3,}", "\n\n"));
    }

    /**
     * A copy of the bundle (model.json and age.params) under target/bench, so that the measured files
     * cannot change during the run and the document names a relative path.
     */
    private static Path snapshot(Path bundle) throws IOException {
        Path copy = WORK.resolve("bundle").resolve(bundle.getFileName());
        Files.createDirectories(copy);
        for (String f : List.of("model.json", "age.params")) {
            Files.copy(bundle.resolve(f), copy.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static List<byte[]> read(Path dir, int n) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no " + dir + ": the benchmark needs ../shared/data beside the checkout (or -Ddldl.shared.dir)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().limit(n).map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    /** Command-line options. */
    record Options(Path model, List<String> phases, int seconds, boolean quick, int port, double capacity, String only) {
        Options withModel(Path m) {
            return new Options(m, phases, seconds, quick, port, capacity, only);
        }

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    m.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
                }
            }
            boolean quick = Boolean.parseBoolean(m.getOrDefault("quick", "false"));
            return new Options(Path.of(m.getOrDefault("model", "model-store/utk-appa-aaf-tinyagenet-64")),
                    List.of(m.getOrDefault("phases", "model,service").split(",")),
                    Integer.parseInt(m.getOrDefault("seconds", quick ? "2" : "8")), quick,
                    Integer.parseInt(m.getOrDefault("port", "18087")), Double.parseDouble(m.getOrDefault("capacity", "0")),
                    m.getOrDefault("only", ""));
        }
    }

}
