package org.dldlage.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dldlage.app.engine.EngineSetup;
import org.dldlage.model.net.AgeNet;
import org.dldlage.model.net.Architecture;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;

/**
 * The paper's Table 2 on this machine, and a batch-size sweep of the bare network. Prints markdown
 * tables; {@link Benchmarks} runs the same measurements and writes them into docs/benchmarks.md.
 *
 * <pre>./mvnw -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.ModelBenchmark
 * [-Dexec.args="gpu"]   (with -Pcuda on a CUDA machine)</pre>
 */
public final class ModelBenchmark {

    static final int[] BATCHES = {1, 2, 4, 8, 16, 32, 64};

    private ModelBenchmark() {}

    /** One row of Table 2: a network at one input size, forward time of a batch of 32 (median). */
    record Table2Row(String network, int input, long parameters, double gflopsPerImage, double batch32Ms) {
        double imagesPerSecond() {
            return 32000 / batch32Ms;
        }

        double gflopsPerSecond() {
            return gflopsPerImage * 32 / (batch32Ms / 1000);
        }
    }

    /** One batch of the sweep: median ms per forward pass. */
    record SweepRow(int batch, double ms) {
        double imagesPerSecond() {
            return batch * 1000 / ms;
        }
    }

    public static void main(String[] args) {
        EngineSetup.configure(args);
        Device device = args.length > 0 && args[0].equals("gpu") ? Device.gpu() : Device.cpu();
        System.out.println(engineLine(device));
        System.out.println();
        System.out.print(table2Markdown(table2(device, 10), 0));
        System.out.println();
        System.out.print(sweepMarkdown(sweep(device, 20)));
    }

    static String engineLine(Device device) {
        return String.format(Locale.ROOT, "engine %s %s on %s, %s intra-op threads, %d cores", Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), device, System.getProperty("ai.djl.pytorch.num_threads"),
                Runtime.getRuntime().availableProcessors());
    }

    /** ThinAgeNet and TinyAgeNet at 224 and 64, randomly initialised (the time does not depend on the weights). */
    static List<Table2Row> table2(Device device, int runs) {
        List<Table2Row> rows = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            for (int size : new int[] {224, 64}) {
                try (NDManager m = NDManager.newBaseManager(device)) {
                    AgeNet net = network(a);
                    net.initialize(m, DataType.FLOAT32, AgeNet.inputShape(size));
                    rows.add(new Table2Row(a.displayName(), size, ModelBundles.trainableCount(net), gflopsPerImage(a, size, 101),
                            medianMs(net, m, 32, size, runs)));
                }
            }
        }
        return rows;
    }

    /** TinyAgeNet at 64 (the served network), bare forward passes of batch 1..64. */
    static List<SweepRow> sweep(Device device, int runs) {
        List<SweepRow> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(device)) {
            AgeNet net = network(Architecture.TINY);
            net.initialize(m, DataType.FLOAT32, AgeNet.inputShape(64));
            for (int b : BATCHES) {
                rows.add(new SweepRow(b, medianMs(net, m, b, 64, runs)));
            }
        }
        return rows;
    }

    /** @param peakGflops the device's FP32 peak in GFLOP/s, or 0 when unknown (then no fraction column) */
    static String table2Markdown(List<Table2Row> rows, double peakGflops) {
        boolean peak = peakGflops > 0;
        StringBuilder s = new StringBuilder();
        s.append("| network | input | parameters | GFLOPs/image | batch-32 forward, ms (median) | images/s | GFLOP/s |")
                .append(peak ? " of peak |" : "").append('\n');
        s.append("|---|---|---|---|---|---|---|").append(peak ? "---|" : "").append('\n');
        for (Table2Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.3f | %.1f | %.0f | %.1f |", r.network(), r.input(),
                    r.parameters(), r.gflopsPerImage(), r.batch32Ms(), r.imagesPerSecond(), r.gflopsPerSecond()));
            if (peak) {
                s.append(String.format(Locale.ROOT, " %.1f%% |", 100 * r.gflopsPerSecond() / peakGflops));
            }
            s.append('\n');
        }
        return s.toString();
    }

    static String sweepMarkdown(List<SweepRow> rows) {
        StringBuilder s = new StringBuilder("| batch | TinyAgeNet 64, bare forward: ms per batch (median) | images/s |\n|---|---|---|\n");
        for (SweepRow r : rows) {
            s.append(String.format(Locale.ROOT, "| %d | %.2f | %.0f |%n", r.batch(), r.ms(), r.imagesPerSecond()));
        }
        return s.toString();
    }

    /** Multiply-adds ×2 of the 13 convolutions and the FC layer; BN, ReLU and pooling are left out. */
    static double gflopsPerImage(Architecture a, int size, int k) {
        int[] convs = {2, 2, 3, 3, 3};
        double flops = 0;
        int in = 3;
        int s = size;
        for (int b = 0; b < 5; b++) {
            int out = a.channels(b);
            for (int c = 0; c < convs[b]; c++) {
                flops += 2.0 * in * out * 9 * s * s;
                in = out;
            }
            s /= 2;
        }
        flops += 2.0 * in * k;
        return flops / 1e9;
    }

    /** A network with K = 101 outputs and the authors' normalisation, parameters not initialised. */
    static AgeNet network(Architecture a) {
        var n = BundleManifest.Normalization.authors();
        return AgeNet.builder().optArchitecture(a).setOutputs(101).setNormalization(n.mean(), n.std()).build();
    }

    static double medianMs(AgeNet net, NDManager m, int batch, int size, int runs) {
        return medianMs(net, m, batch, size, runs, false);
    }

    /**
     * @param channelsLast N×3×S×S with N×S×S×3 strides (a transposed NHWC tensor), as the served model's
     *     input is laid out after staging interleaved RGB bytes
     */
    static double medianMs(AgeNet net, NDManager m, int batch, int size, int runs, boolean channelsLast) {
        // the bare network: its input block's normalisation is not part of the measured forward
        Block bare = new SequentialBlock().add(net.features()).add(net.head());
        double[] t = new double[runs];
        for (int r = -3; r < runs; r++) {
            try (NDManager step = m.newSubManager()) {
                NDArray x = channelsLast ? step.randomNormal(new Shape(batch, size, size, 3)).transpose(0, 3, 1, 2)
                        : step.randomNormal(new Shape(batch, 3, size, size));
                long t0 = System.nanoTime();
                NDArray y = bare.forward(new ParameterStore(step, false), new NDList(x), false).head();
                y.toFloatArray(); // wait for the device
                if (r >= 0) {
                    t[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
