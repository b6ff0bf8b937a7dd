package org.dldlage.api;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.dldlage.DldlAgeApplication;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.ImageOps;
import org.dldlage.model.AgeModel;
import org.dldlage.support.Http;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Service throughput and latency against the model alone, with {@code align=none} on UTKFace crops
 * (not a test: prints numbers). Compares
 * <ol>
 *   <li>32 concurrent HTTP clients against the raw batched forward throughput (batches of 32, the
 *       default max batch size, mirror averaging on as in the service's default);
 *   <li>p50 latency of 1 client against the single-image pipeline time in-process (decode + crop +
 *       one forward pass of batch 1).
 * </ol>
 * Arguments: {@code --bundle=DIR} (default {@code model-store/utk-appa-aaf-tinyagenet-64}; when absent a randomly
 * initialised {@code --arch=TinyAgeNet|ThinAgeNet} at {@code --input=64} is written to a temp
 * folder), {@code --seconds=N} per phase (default 10), and any {@code --age.*} service property.
 */
public final class ServiceBenchmark {

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(args);
        int seconds = Integer.parseInt(arg(args, "--seconds=", "10"));
        Path bundle = Path.of(arg(args, "--bundle=", "model-store/utk-appa-aaf-tinyagenet-64"));
        if (!Files.exists(bundle.resolve("model.json"))) {
            String arch = arg(args, "--arch=", "TinyAgeNet");
            int input = Integer.parseInt(arg(args, "--input=", "64"));
            bundle = TestBundles.write(Files.createTempDirectory("dldl-age-bench").resolve("random-" + arch + "-" + input),
                    arch, input);
            System.out.println("no bundle at model-store/utk-appa-aaf-tinyagenet-64: using randomly initialised " + arch + " at " + input);
        }
        List<byte[]> photos = SharedData.utkfaceCrops(256);

        Path dir = bundle;
        double[] measured = new double[2];
        // on a fresh thread with the engine's thread count, exactly like the service's inference worker
        Thread measure = new Thread(() -> measured(dir, photos, seconds, measured), "bench-model");
        measure.start();
        measure.join();
        double raw = measured[0];
        double single = measured[1];
        System.out.printf("raw batched forward (batch 32, flip): %.1f images/s%n", raw);
        System.out.printf("single-image pipeline in-process (decode + crop + forward, flip): p50 %.2f ms%n", single);
        service(args, bundle, photos, seconds, raw, single);
    }

    private static void measured(Path bundle, List<byte[]> photos, int seconds, double[] out) {
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (threads != null) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(Integer.parseInt(threads));
        }
        double raw;
        double single;
        try (AgeModel model = AgeModel.load(bundle, Device.cpu())) {
            int s = model.inputSize();
            List<byte[]> crops = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                crops.add(ImageOps.resizeCentreCrop(ImageIO.read(new ByteArrayInputStream(photos.get(i))), s));
            }
            for (int batch : new int[] {1, 4, 8, 16}) { // how throughput grows with the batch
                System.out.printf("raw forward, batch %d: %.1f images/s%n", batch, throughput(model, crops.subList(0, batch), 2));
            }
            raw = throughput(model, crops, seconds);
            double[] times = new double[Math.max(20, seconds * 10)];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(photos.get(i % photos.size())));
                model.predict(List.of(ImageOps.resizeCentreCrop(img, s)), true);
                times[i] = (System.nanoTime() - t) / 1e6;
            }
            single = percentile(times, 0.5);
            System.out.printf("model %s (%s, input %d) on %s, %s intra-op threads%n", model.manifest().name(),
                    model.manifest().architecture(), s, model.device(), threads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out[0] = raw;
        out[1] = single;
    }

    private static void service(String[] args, Path bundle, List<byte[]> photos, int seconds, double raw, double single)
            throws Exception {

        CompletableFuture<Integer> port = new CompletableFuture<>();
        List<String> appArgs = new ArrayList<>(List.of("--server.port=0", "--age.model.path=" + bundle, "--age.device=cpu",
                "--logging.level.root=warn"));
        Arrays.stream(args).filter(a -> a.startsWith("--age.") || a.startsWith("--server.")).forEach(appArgs::add);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(DldlAgeApplication.class)
                .listeners((ApplicationListener<WebServerInitializedEvent>) e -> port.complete(e.getWebServer().getPort()))
                .run(appArgs.toArray(String[]::new));
        try {
            Http http = new Http(port.get());
            for (int i = 0; i < 50; i++) {
                check(http.raw("/v1/age?align=none", photos.get(i), "image/jpeg"));
            }
            double[] latencies = new double[Math.max(50, seconds * 20)];
            double[][] stages = new double[4][latencies.length];
            for (int i = 0; i < latencies.length; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = http.raw("/v1/age?align=none", photos.get(i % photos.size()), "image/jpeg");
                latencies[i] = (System.nanoTime() - t) / 1e6;
                check(r);
                com.fasterxml.jackson.databind.JsonNode timings = ServiceTestSupport.json(r.body()).get("timings");
                String[] names = {"totalMs", "decodeMs", "queueMs", "inferenceMs"};
                for (int k = 0; k < names.length; k++) {
                    stages[k][i] = timings.get(names[k]).asDouble();
                }
            }
            double p50 = percentile(latencies, 0.5);
            System.out.printf("service, 1 client: p50 %.2f ms, p95 %.2f ms (%.2f× the single-image pipeline)%n", p50,
                    percentile(latencies, 0.95), p50 / single);
            System.out.printf("  server side p50: total %.2f ms (decode %.2f, queue %.2f, inference %.2f); the rest is HTTP%n",
                    percentile(stages[0], 0.5), percentile(stages[1], 0.5), percentile(stages[2], 0.5), percentile(stages[3], 0.5));

            int clients = 32;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int offset = c;
                futures.add(pool.submit(() -> {
                    for (int i = offset; System.nanoTime() < end; i += clients) {
                        HttpResponse<String> r = http.raw("/v1/age?align=none&distribution=false", photos.get(i % photos.size()),
                                "image/jpeg");
                        (r.statusCode() == 200 ? done : failed).incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            double throughput = done.get() / elapsed;
            System.out.printf("service, %d clients: %.1f images/s (%.0f%% of the raw batched forward), %d non-200%n", clients,
                    throughput, 100 * throughput / raw, failed.get());
            String metrics = http.get("/actuator/prometheus").body();
            metrics.lines().filter(l -> l.startsWith("age_batch_size_faces_count") || l.startsWith("age_batch_size_faces_sum"))
                    .forEach(l -> System.out.println("  " + l));
        } finally {
            app.close();
        }
    }

    /** Images per second of back-to-back forward passes over one batch (after 3 warm-up passes). */
    private static double throughput(AgeModel model, List<byte[]> batch, int seconds) {
        for (int i = 0; i < 3; i++) {
            model.predict(batch, true);
        }
        long n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(seconds)) {
            model.predict(batch, true);
            n += batch.size();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
        }
    }

    private static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    private static String arg(String[] args, String prefix, String fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
                .orElse(fallback);
    }

    private ServiceBenchmark() {}

}
