package org.dldlage.inference.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dldlage.model.AgeModel;

/**
 * Measures the forward pass's cost per face at batch sizes 1, 2, 4, … up to the configured maximum
 * and picks the smallest size within 5% of the cheapest. Bigger is not always cheaper: on the 2-core
 * development CPU TinyAgeNet at 64 gets 2.8× cheaper per face from batch 1 to 32, while ThinAgeNet at
 * 224 gets dearer (its activations at batch 32 overflow the cache), so one fixed default would suit
 * only one of them.
 *
 * @param sizes the batch sizes measured, ascending
 * @param msPerFace the fastest of {@value #PASSES} timed passes in each of {@value #SWEEPS} sweeps (mirror-averaged,
 *     as served) divided by the size; a size that looks past the optimum is timed again before measuring stops
 * @param chosen the batch size to serve with
 */
public record BatchSizeTuning(int[] sizes, double[] msPerFace, int chosen) {

    /** A per-face cost within this factor of the cheapest counts as just as good (a smaller batch waits less). */
    static final double TOLERANCE = 1.05;
    /** Measuring stops once two sizes in a row cost this much more per face than the best so far: past the optimum. */
    static final double PAST_OPTIMUM = 1.25;
    /**
     * Timed passes per size, the fastest kept. Start-up runs beside the JIT compiler on the same cores: with two
     * passes one disturbed size (batch 8 at 6.2 ms per face against 3.1 at 4) ended the measurement and
     * TinyAgeNet at 64 was served at batch 4 instead of 16.
     */
    static final int PASSES = 5;

    /**
     * Sweeps of all sizes measured: a start-up disturbance (the JIT compiler, a build tool, another service
     * starting) then slows one size in one sweep rather than a run of neighbouring sizes, which once made
     * batches 4–32 look dearer than 2.
     */
    static final int SWEEPS = 3;

    /** Times {@code model} on blank faces (the time does not depend on the pixels). */
    public static BatchSizeTuning measure(AgeModel model, int max) {
        int s = model.inputSize();
        List<Integer> sizes = new ArrayList<>();
        for (int b = 1; b < max; b *= 2) {
            sizes.add(b);
        }
        sizes.add(max);
        List<List<byte[]>> batches = new ArrayList<>();
        List<Double> costs = new ArrayList<>();
        double best = Double.MAX_VALUE;
        int pastInARow = 0;
        for (int b : sizes) { // the first sweep also finds where to stop: two sizes in a row past the optimum
            List<byte[]> faces = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                faces.add(new byte[s * s * 3]);
            }
            batches.add(faces);
            model.predict(faces, true); // untimed: first-call allocations for this shape
            double perFace = fastest(model, faces) / 1e6 / b;
            if (perFace > PAST_OPTIMUM * best) {
                perFace = Math.min(perFace, fastest(model, faces) / 1e6 / b); // once more before believing it
            }
            costs.add(perFace);
            best = Math.min(best, perFace);
            pastInARow = perFace > PAST_OPTIMUM * best ? pastInARow + 1 : 0;
            if (pastInARow == 2) {
                break;
            }
        }
        for (int sweep = 1; sweep < SWEEPS; sweep++) {
            for (int i = 0; i < costs.size(); i++) {
                List<byte[]> faces = batches.get(i);
                costs.set(i, Math.min(costs.get(i), fastest(model, faces) / 1e6 / faces.size()));
            }
        }
        int[] measured = sizes.subList(0, costs.size()).stream().mapToInt(Integer::intValue).toArray();
        double[] ms = costs.stream().mapToDouble(Double::doubleValue).toArray();
        return new BatchSizeTuning(measured, ms, choose(measured, ms));
    }

    private static long fastest(AgeModel model, List<byte[]> faces) {
        long fastest = Long.MAX_VALUE;
        for (int pass = 0; pass < PASSES; pass++) {
            long t0 = System.nanoTime();
            model.predict(faces, true);
            fastest = Math.min(fastest, System.nanoTime() - t0);
        }
        return fastest;
    }

    /** The smallest size whose cost per face is within {@link #TOLERANCE} of the cheapest. */
    static int choose(int[] sizes, double[] msPerFace) {
        double best = Arrays.stream(msPerFace).min().orElseThrow();
        for (int i = 0; i < sizes.length; i++) {
            if (msPerFace[i] <= TOLERANCE * best) {
                return sizes[i];
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** e.g. {@code 1: 2.10, 2: 1.40, 4: 0.95 ms per face}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            parts.add(String.format(java.util.Locale.ROOT, "%d: %.2f", sizes[i], msPerFace[i]));
        }
        return String.join(", ", parts) + " ms per face";
    }
}
