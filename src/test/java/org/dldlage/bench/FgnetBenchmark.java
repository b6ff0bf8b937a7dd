package org.dldlage.bench;

import org.dldlage.face.detect.FaceDetector;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.face.align.FgnetLandmarks;
import org.dldlage.face.decode.ImageDecoder;
import org.dldlage.face.detect.Face;
import org.dldlage.face.detect.Mtcnn;

/**
 * Measures MTCNN on FG-NET's raw photos against their 68 landmarks and times detection. Prints
 * numbers; not a test. Usage:
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.FgnetBenchmark \
 *     -Dai.djl.pytorch.num_threads=1 -Dexec.args="[fgnetDir] [limit] [largeRuns]"
 * </pre>
 *
 * fgnetDir defaults to ../shared/data/fgnet, limit to all photos, largeRuns (timed runs on a photo
 * upscaled to 1920 px) to 20.
 */
public final class FgnetBenchmark {

    private FgnetBenchmark() {}

    public static void main(String[] args) throws Exception {
        EngineSetup.configure(args);
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/fgnet");
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        int largeRuns = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<Path> images;
        try (Stream<Path> s = Files.list(dir.resolve("images"))) {
            images = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jpg"))
                    .sorted().limit(limit).toList();
        }
        ImageDecoder decoder = new ImageDecoder();
        int detected = 0;
        int anyFace = 0;
        List<Double> eyeErrors = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        try (Mtcnn mtcnn = Mtcnn.load()) {
            // warm-up: the first calls pay for the engine's lazy initialisation
            BufferedImage first = decoder.decode(Files.readAllBytes(images.get(0)));
            for (int i = 0; i < 3; i++) {
                mtcnn.detect(first, FaceDetector.DEFAULT_MIN_FACE_SIZE);
            }
            for (Path p : images) {
                String name = p.getFileName().toString();
                BufferedImage img = decoder.decode(Files.readAllBytes(p));
                FgnetLandmarks truth = FgnetLandmarks.forImage(dir, name);
                long t0 = System.nanoTime();
                List<Face> faces = mtcnn.detect(img, FaceDetector.DEFAULT_MIN_FACE_SIZE);
                millis.add((System.nanoTime() - t0) / 1e6);
                if (!faces.isEmpty()) {
                    anyFace++;
                }
                if (!faces.isEmpty() && truth.hit(faces.get(0))) {
                    detected++;
                    eyeErrors.add(truth.eyeError(faces.get(0)));
                } else {
                    misses.add(name + (faces.isEmpty() ? "(none)" : "(" + faces.size() + " elsewhere)"));
                }
            }
            System.out.printf(Locale.ROOT, "threads: intra-op %s, inter-op %s%n",
                    System.getProperty("ai.djl.pytorch.num_threads"),
                    System.getProperty("ai.djl.pytorch.num_interop_threads"));
            System.out.printf(Locale.ROOT, "FG-NET photos: %d, any face: %d, detection rate (largest box contains"
                    + " landmark centroid): %.2f%%%n", images.size(), anyFace, 100.0 * detected / images.size());
            double[] e = eyeErrors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (e.length > 0) {
                long under = Arrays.stream(e).filter(v -> v < 0.1).count();
                System.out.printf(Locale.ROOT, "normalised eye error (detected faces, n=%d): median %.4f, mean %.4f,"
                        + " p90 %.4f, fraction < 0.1: %.2f%%%n", e.length, quantile(e, 0.5),
                        Arrays.stream(e).average().orElse(0), quantile(e, 0.9), 100.0 * under / e.length);
            }
            System.out.println("missed: " + misses);
            double[] t = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "detection time FG-NET (%d photos, ~300-500 px): median %.1f ms,"
                    + " p95 %.1f ms%n", t.length, quantile(t, 0.5), quantile(t, 0.95));

            BufferedImage large = upscale(first, 1920);
            mtcnn.detect(large, FaceDetector.DEFAULT_MIN_FACE_SIZE);
            double[] lt = new double[largeRuns];
            int found = 0;
            for (int i = 0; i < largeRuns; i++) {
                long t0 = System.nanoTime();
                found = mtcnn.detect(large, FaceDetector.DEFAULT_MIN_FACE_SIZE).size();
                lt[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(lt);
            System.out.printf(Locale.ROOT, "detection time %dx%d (upscaled %s, %d faces, %d runs): median %.1f ms,"
                    + " p95 %.1f ms%n", large.getWidth(), large.getHeight(), images.get(0).getFileName(), found,
                    largeRuns, quantile(lt, 0.5), quantile(lt, 0.95));
        }
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** {@code src} scaled (bicubic) so that its longer side is {@code longSide}. */
    public static BufferedImage upscale(BufferedImage src, int longSide) {
        double s = (double) longSide / Math.max(src.getWidth(), src.getHeight());
        int w = (int) Math.round(src.getWidth() * s);
        int h = (int) Math.round(src.getHeight() * s);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
