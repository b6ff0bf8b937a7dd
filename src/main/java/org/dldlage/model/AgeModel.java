package org.dldlage.model;

import org.dldlage.model.bundle.BundleException;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.dldlage.model.method.TrainingMethod;
import org.dldlage.model.net.AgeNet;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded model bundle ready to estimate ages from S×S RGB face crops.
 *
 * <p>Faces are passed as interleaved RGB bytes (S·S·3, row-major) and go to the network as they are,
 * N×S×S×3: its input block normalises them ({@link AgeNet#input()}), as in training. One call runs one
 * forward pass (two with mirror averaging stacked into one batch) and frees all native memory it used
 * before returning.
 */
public final class AgeModel implements AutoCloseable {

    private final Path path;
    private final BundleManifest manifest;
    private final TrainingMethod method;
    private final NDManager manager;
    private final AgeNet network;
    /** Reused input buffer: a heap array would be copied into a fresh direct buffer per call. */
    private ByteBuffer input = ByteBuffer.allocateDirect(0);

    private AgeModel(Path path, BundleManifest manifest, NDManager manager, AgeNet network) {
        this.path = path;
        this.manifest = manifest;
        this.method = ModelBundles.method(manifest);
        this.manager = manager;
        this.network = network;
    }

    /** Loads and verifies a bundle; problems are {@link BundleException}s naming the bundle. */
    public static AgeModel load(Path dir, Device device) {
        BundleManifest m = ModelBundles.readManifest(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new AgeModel(dir, m, manager, ModelBundles.loadNetwork(dir, m, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Wraps a network being trained (for validation during training); the caller owns the manager. */
    public static AgeModel of(BundleManifest manifest, AgeNet network, NDManager manager) {
        return new AgeModel(null, manifest, manager, network);
    }

    /** The same network (shared, not copied) under another calibration, e.g. while fitting one. */
    public AgeModel withCalibration(BundleManifest.Calibration calibration) {
        return new AgeModel(null, manifest.withCalibration(calibration), manager, network);
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public TrainingMethod method() {
        return method;
    }

    public AgeNet network() {
        return network;
    }

    public int inputSize() {
        return manifest.inputSize();
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * Estimates ages for a batch of faces.
     *
     * @param faces S·S·3 RGB bytes each
     * @param flip also run each face's horizontal mirror and average (the paper's test-time augmentation)
     */
    public synchronized Predictions predict(List<byte[]> faces, boolean flip) {
        int n = faces.size();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = stage(faces, batch); // N×S×S×3
            if (flip) {
                x = x.concat(x.flip(2), 0); // 2N×S×S×3: originals, then mirrors (axis 2 is the width)
            }
            NDArray logits = network.forward(new ParameterStore(batch, false), new NDList(x), false).head();
            float[] ages;
            float[] dist = null;
            int k = method.predictsDistribution() ? method.outputs() : 0;
            if (method.predictsDistribution()) {
                NDArray p = method.labelDistribution(calibrated(logits));
                if (flip) {
                    p = p.get("0:" + n).add(p.get(n + ":")).div(2);
                }
                dist = p.toFloatArray();
                ages = method.decode(p.log()).toFloatArray(); // softmax(log p) = p
            } else {
                NDArray a = method.decode(logits);
                if (flip) {
                    a = a.get("0:" + n).add(a.get(n + ":")).div(2);
                }
                ages = a.toFloatArray();
            }
            float[][] distributions = null;
            if (dist != null) {
                distributions = new float[n][];
                for (int i = 0; i < n; i++) {
                    distributions[i] = java.util.Arrays.copyOfRange(dist, i * k, (i + 1) * k);
                }
            }
            return new Predictions(ages, distributions);
        }
    }

    /**
     * The network's raw outputs (no flip): N × {@link TrainingMethod#outputs()} logits, e.g. to read
     * a ranking model's K−1 binary classifiers one by one.
     */
    public synchronized float[][] outputs(List<byte[]> faces) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray logits = network.forward(new ParameterStore(batch, false), new NDList(stage(faces, batch)), false).head();
            int k = method.outputs();
            float[] all = logits.toFloatArray();
            float[][] out = new float[faces.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(all, i * k, (i + 1) * k);
            }
            return out;
        }
    }

    /** Copies faces into the reused direct buffer and returns them as the network takes them, UINT8 N×S×S×3, on {@code batch}. */
    private NDArray stage(List<byte[]> faces, NDManager batch) {
        int n = faces.size();
        int s = manifest.inputSize();
        int bytes = s * s * 3;
        if (input.capacity() < n * bytes) {
            input = ByteBuffer.allocateDirect(n * bytes).order(ByteOrder.nativeOrder());
        }
        input.clear();
        for (byte[] f : faces) {
            if (f.length != bytes) {
                throw new IllegalArgumentException("face has " + f.length + " bytes, expected " + bytes + " (" + s + "×" + s + "×3)");
            }
            input.put(f);
        }
        input.flip();
        return batch.create(input, new Shape(n, s, s, 3), DataType.UINT8);
    }

    /**
     * The paper's age score map (Sec. 4.6) for each face: with F^j the maps that global average
     * pooling reduces (the last conv block after hybrid pooling's max pool) and (w, b) the FC layer,
     * A^k = Σ_j w_kj F^j + b_k and S = Σ_k p̂_k A^k. Since GAP is linear, mean(S) = Σ_k p̂_k x_k.
     */
    public synchronized ScoreMaps scoreMaps(List<byte[]> faces) {
        if (!method.predictsDistribution()) {
            throw new UnsupportedOperationException(method.id() + " has no label distribution to weight the map with");
        }
        int n = faces.size();
        try (NDManager batch = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(batch, false);
            NDList x = network.input().forward(ps, new NDList(stage(faces, batch)), false);
            NDList f = network.features().forward(ps, x, false);
            NDArray maps = f.head(); // N×C×h×w
            NDArray logits = network.head().forward(ps, f, false).head(); // N×K
            NDArray p = method.labelDistribution(calibrated(logits));
            var fc = network.fc().getParameters();
            NDArray w = fc.get("weight").getArray(); // K×C
            NDArray b = fc.get("bias").getArray(); // K
            // S = Σ_c (Σ_k p̂_k w_kc) F_c + Σ_k p̂_k b_k: the same sum as Σ_k p̂_k A^k without the K×h×w tensor
            NDArray v = p.matMul(w); // N×C
            NDArray s = maps.mul(v.expandDims(2).expandDims(3)).sum(new int[] {1})
                    .add(p.matMul(b.expandDims(1)).expandDims(2)); // N×h×w
            long h = s.getShape().get(1);
            long wd = s.getShape().get(2);
            float[] all = s.toFloatArray();
            float[] logitsArr = logits.toFloatArray();
            float[] pArr = p.toFloatArray();
            float[][] grids = new float[n][];
            float[] expectedMeans = new float[n];
            int k = method.outputs();
            for (int i = 0; i < n; i++) {
                grids[i] = java.util.Arrays.copyOfRange(all, (int) (i * h * wd), (int) ((i + 1) * h * wd));
                double e = 0;
                for (int j = 0; j < k; j++) {
                    e += pArr[i * k + j] * logitsArr[i * k + j];
                }
                expectedMeans[i] = (float) e;
            }
            return new ScoreMaps((int) h, (int) wd, grids, expectedMeans);
        }
    }

    /**
     * Score maps of a batch.
     *
     * @param height rows of each map
     * @param width columns of each map
     * @param maps S per face, row-major
     * @param expectedLogits Σ_k p̂_k x_k per face, which each map's mean equals
     */
    public record ScoreMaps(int height, int width, float[][] maps, float[] expectedLogits) {}

    /** z / T with the bundle's calibration temperature (unchanged without one). */
    private NDArray calibrated(NDArray logits) {
        double t = manifest.temperature();
        return t == 1 ? logits : logits.div((float) t);
    }

    /**
     * @param ages ŷ per face
     * @param distributions p̂ per face (K values), or null for methods without a distribution
     */
    public record Predictions(float[] ages, float[][] distributions) {}

    @Override
    public void close() {
        if (path != null) {
            manager.close();
        }
    }
}
