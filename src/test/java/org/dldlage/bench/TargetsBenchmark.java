package org.dldlage.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.awt.image.BufferedImage;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dldlage.config.EngineSetup;
import org.dldlage.face.FaceAligner;
import org.dldlage.face.ImageDecoder;
import org.dldlage.model.AgeModel;

/**
 * Issue 5's two performance targets for one model bundle, on this machine, with {@code align=none}:
 * 32 clients against the raw batched forward (batch 32 with mirror averaging, in-process), and the
 * 1-client p50 against the in-process single-image pipeline (decode, resize, one forward with
 * mirror averaging). The service runs as {@code java -jar target/dldl-age.jar} with the same
 * intra-op thread count the in-process references use. Prints one Markdown table row.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.TargetsBenchmark \
 *     -Dexec.args="--model=model-store/utkface-tinyagenet-64 --threads=2 --seconds=10"   # or --model=thin-224 [--env=K=V,...]
 * </pre>
 */
public final class TargetsBenchmark {

    private TargetsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(2, eq < 0 ? a.length() : eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        String name = o.getOrDefault("model", "model-store/utkface-tinyagenet-64");
        // "thin-224": the paper's network and input with random weights (the time does not depend on the weights)
        Path model = name.equals("thin-224")
                ? org.dldlage.support.TestBundles.write(Path.of("target", "bench", "thin-224"), "ThinAgeNet", 224)
                : Path.of(name);
        // environment for the service process, e.g. --env=OMP_WAIT_POLICY=PASSIVE,MALLOC_ARENA_MAX=2
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String kv : o.getOrDefault("env", "").split(",")) {
            if (kv.contains("=")) {
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
        int port = Integer.parseInt(o.getOrDefault("port", "18089"));
        EngineSetup.configure(new String[] {"--age.engine.threads=" + threads});
        Path data = Path.of(System.getProperty("dldl.shared.dir", "../shared")).resolve("data/utkface/images");
        List<byte[]> crops = new ArrayList<>();
        try (var files = Files.list(data)) {
            for (Path p : files.sorted().limit(256).toList()) {
                crops.add(Files.readAllBytes(p));
            }
        }

        // in-process references, on a thread with the service worker's intra-op setting (PyTorch keeps it per thread)
        double[] ref = new double[3]; // raw faces/s at batch 32, single-image pipeline p50 ms, model input size
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                ai.djl.engine.Engine.getInstance(); // loads the native library before the JNI call below
                JniUtils.setNumThreads(threads);
                ImageDecoder decoder = new ImageDecoder();
                try (AgeModel m = AgeModel.load(model, Device.cpu())) {
                    int s = m.inputSize();
                    List<byte[]> faces = new ArrayList<>();
                    for (int i = 0; i < 32; i++) {
                        faces.add(FaceAligner.none(decoder.decode(crops.get(i)), s));
                    }
                    int passes = s > 128 ? 5 : 30;
                    double[] ms = new double[passes];
                    for (int i = -3; i < passes; i++) {
                        long t0 = System.nanoTime();
                        m.predict(faces, true);
                        if (i >= 0) {
                            ms[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    ref[0] = 32 * 1000 / median(ms);
                    int n = s > 128 ? 40 : 200;
                    double[] single = new double[n];
                    for (int i = -5; i < n; i++) {
                        long t0 = System.nanoTime();
                        BufferedImage img = decoder.decode(crops.get(Math.floorMod(i, crops.size())));
                        m.predict(List.of(FaceAligner.none(img, s)), true);
                        if (i >= 0) {
                            single[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    ref[1] = median(single);
                    ref[2] = s;
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new IllegalStateException("in-process reference failed", failure[0]);
        }

        Path jar = Path.of("target", "dldl-age.jar");
        Path log = Path.of("target", "bench", "targets-service.log");
        Files.createDirectories(log.getParent());
        HttpClient client = LoadGenerator.newClient(null);
        LoadGenerator.Outcome one;
        LoadGenerator.Outcome many;
        String load = Machine.loadAverage();
        try (ServiceProcess svc = ServiceProcess.start(jar, port, List.of("--age.model.path=" + model,
                "--age.engine.threads=" + threads), env, log)) {
            LoadGenerator gen = new LoadGenerator(client, svc.base() + "/v1/age?align=none&distribution=false", crops);
            Duration warm = Duration.ofSeconds(3);
            one = gen.closedLoop(1, warm, Duration.ofSeconds(seconds), () -> {});
            many = gen.closedLoop(32, warm, Duration.ofSeconds(seconds), () -> {});
        }
        double share = many.throughput() / ref[0];
        double ratio = one.percentile(0.5) / ref[1];
        System.out.printf(Locale.ROOT, "| model | input | intra-op threads | raw batched forward (32, flip) | 32 clients | share (target ≥ 80%%) "
                + "| single-image pipeline p50 | 1 client p50 (server-side) | ratio (target ≤ 1.2) | errors | service environment | load before |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| %s | %.0f | %d | %.0f faces/s | %.1f req/s | **%.0f%%** | %.2f ms | %.2f ms (%.2f ms) | **%.2f×** (%.2f×) | %d | %s | %s |%n",
                model.getFileName(), ref[2], threads, ref[0], many.throughput(), 100 * share, ref[1], one.percentile(0.5),
                one.percentileStage("totalMs", 0.5), ratio, one.percentileStage("totalMs", 0.5) / ref[1],
                one.errors() + many.errors(), env.isEmpty() ? "—" : env.toString(), load);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
