package org.dldlage.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;
import org.dldlage.config.EngineSetup;
import org.dldlage.model.AgeNet;
import org.dldlage.model.Architecture;
import org.dldlage.model.ModelBundles;

/**
 * The paper's Table 2 on this machine, and a batch-size sweep. Prints markdown tables.
 *
 * <pre>./mvnw -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.dldlage.bench.ModelBenchmark
 * [-Dexec.args="gpu"]   (with -Pcuda on a CUDA machine)</pre>
 */
public final class ModelBenchmark {

    private ModelBenchmark() {}

    public static void main(String[] args) {
        EngineSetup.configure(args);
        Device device = args.length > 0 && args[0].equals("gpu") ? Device.gpu() : Device.cpu();
        System.out.printf(Locale.ROOT, "engine %s %s on %s, %s intra-op threads, %d cores%n", Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), device, System.getProperty("ai.djl.pytorch.num_threads"),
                Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println("| network | input | parameters | GFLOPs/image | batch-32 forward, ms (median of 10) | images/s | GFLOP/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Architecture a : Architecture.values()) {
            for (int size : new int[] {224, 64}) {
                try (NDManager m = NDManager.newBaseManager(device)) {
                    Block net = AgeNet.builder().optArchitecture(a).setOutputs(101).build();
                    net.initialize(m, DataType.FLOAT32, new Shape(1, 3, size, size));
                    double ms = medianMs(net, m, 32, size, 10);
                    double gflops = gflopsPerImage(a, size, 101);
                    System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.3f | %.1f | %.0f | %.1f |%n", a.displayName(), size,
                            ModelBundles.trainableCount(net), gflops, ms, 32000 / ms, gflops * 32 / (ms / 1000));
                }
            }
        }
        System.out.println();
        System.out.println("| batch | TinyAgeNet 64: ms per batch (median of 20) | images/s |");
        System.out.println("|---|---|---|");
        try (NDManager m = NDManager.newBaseManager(device)) {
            Block net = AgeNet.builder().optArchitecture(Architecture.TINY).setOutputs(101).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            for (int b : new int[] {1, 2, 4, 8, 16, 32, 64}) {
                double ms = medianMs(net, m, b, 64, 20);
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.0f |%n", b, ms, b * 1000 / ms);
            }
        }
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

    private static double medianMs(Block net, NDManager m, int batch, int size, int runs) {
        double[] t = new double[runs];
        for (int r = -3; r < runs; r++) {
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(batch, 3, size, size));
                long t0 = System.nanoTime();
                NDArray y = net.forward(new ParameterStore(step, false), new NDList(x), false).head();
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
