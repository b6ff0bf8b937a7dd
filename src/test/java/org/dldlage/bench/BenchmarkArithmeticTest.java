package org.dldlage.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.dldlage.model.net.Architecture;
import org.junit.jupiter.api.Test;

/** The arithmetic the benchmark's tables rest on (quick: no engine, no service). */
class BenchmarkArithmeticTest {

    @Test
    void percentilesAreNearestRank() {
        double[] v = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // unsorted on purpose
        assertEquals(50, LoadGenerator.Outcome.percentile(v, 0.5));
        assertEquals(95, LoadGenerator.Outcome.percentile(v, 0.95));
        assertEquals(99, LoadGenerator.Outcome.percentile(v, 0.99));
        assertEquals(100, LoadGenerator.Outcome.percentile(v, 1.0));
        assertEquals(7, LoadGenerator.Outcome.percentile(new double[] {7}, 0.99));
    }

    @Test
    void peakFromCoresClockAndVectorWidth() {
        assertEquals(2.596, Benchmarks.clockGhz("BogoMIPS:                                5192.19\n"), 1e-3);
        assertEquals(3.7, Benchmarks.clockGhz("CPU MHz: 1200.000\nCPU max MHz: 3700.0000\n"), 1e-9);
        assertEquals(332.8, Benchmarks.peakGflops(2, 2.6, true), 1e-9); // 2 × 2.6 GHz × 2 FMA × 16 lanes × 2
        assertEquals(166.4, Benchmarks.peakGflops(2, 2.6, false), 1e-9);
    }

    @Test
    void flopsOfTheFirstConvolutionAndTheFcLayer() {
        // one 3×3 conv from 3 to c channels on S×S, the rest of the network grows with the square of S except the FC layer
        double at32 = ModelBenchmark.gflopsPerImage(Architecture.TINY, 32, 101);
        double at64 = ModelBenchmark.gflopsPerImage(Architecture.TINY, 64, 101);
        int c = Architecture.TINY.channels(4);
        double fc = 2.0 * c * 101 / 1e9;
        assertEquals(4 * (at32 - fc), at64 - fc, 1e-12);
    }
}
