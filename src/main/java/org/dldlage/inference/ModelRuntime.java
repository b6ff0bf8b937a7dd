package org.dldlage.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.dldlage.model.AgeModel;
import org.dldlage.model.BundleManifest;

/**
 * One loaded model and its inference worker: loads the bundle, runs a warm-up forward pass, then
 * serves batches of faces through a {@link MicroBatcher}. Ready only after the warm-up.
 */
public final class ModelRuntime implements AutoCloseable {

    /** Loads a bundle onto a device ({@link AgeModel#load} in production). */
    @FunctionalInterface
    public interface Loader {
        AgeModel load(Path dir, Device device);
    }

    public enum State { LOADING, READY, CLOSED }

    /** One face for the network: S·S·3 RGB bytes, and whether to average with its mirror image. */
    public record FaceInput(byte[] rgb, boolean flip) {}

    /** @param distribution p̂ (K values), or null for methods without one */
    public record FacePrediction(float age, float[] distribution) {}

    private final Path path;
    private final Supplier<Device> device;
    private final Loader loader;
    private final MicroBatcher.Settings batching;
    private final MicroBatcher.Listener listener;
    private volatile State state = State.LOADING;
    private volatile AgeModel model;
    private volatile MicroBatcher<FaceInput, FacePrediction> batcher;

    /** @param device resolved when the model loads (finding GPUs starts the engine) */
    public ModelRuntime(Path path, Supplier<Device> device, Loader loader, MicroBatcher.Settings batching,
            MicroBatcher.Listener listener) {
        this.path = path;
        this.device = device;
        this.loader = loader;
        this.batching = batching;
        this.listener = listener;
    }

    /**
     * Loads the bundle, runs one forward pass and starts the worker.
     *
     * @throws org.dldlage.model.BundleException when the bundle is missing or corrupt
     */
    public synchronized void start() {
        AgeModel loaded = loader.load(path, device.get());
        try {
            int s = loaded.inputSize();
            loaded.predict(List.of(new byte[s * s * 3]), true); // warm-up: first-call allocations happen now
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        model = loaded;
        batcher = new MicroBatcher<>(loaded.manifest().name(), this::forward, batching, listener,
                ModelRuntime::applyEngineThreads);
        state = State.READY;
    }

    public State state() {
        return state;
    }

    public boolean ready() {
        return state == State.READY;
    }

    public Path path() {
        return path;
    }

    /** The loaded model (null until loaded). */
    public AgeModel model() {
        return model;
    }

    /** Where the model runs: {@code cpu}, or {@code gpu:N} (null until loaded). */
    public String deviceName() {
        AgeModel m = model;
        if (m == null) {
            return null;
        }
        Device d = m.device();
        return d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType();
    }

    public BundleManifest manifest() {
        AgeModel m = model;
        return m == null ? null : m.manifest();
    }

    /** The inference worker's queue (null until loaded). */
    public MicroBatcher<FaceInput, FacePrediction> batcher() {
        return batcher;
    }

    /**
     * PyTorch's intra-op thread count is per calling thread: set on the thread that started the
     * engine, a new worker thread would otherwise run single-threaded. Applies
     * {@code ai.djl.pytorch.num_threads} (set by EngineSetup) to the worker.
     */
    private static void applyEngineThreads() {
        Integer threads = Integer.getInteger("ai.djl.pytorch.num_threads");
        if (threads != null && threads > 0 && "PyTorch".equals(Engine.getDefaultEngineName())) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** One forward pass per mirror setting present in the batch; results by index. */
    private List<FacePrediction> forward(List<FaceInput> inputs) {
        FacePrediction[] out = new FacePrediction[inputs.size()];
        for (boolean flip : new boolean[] {true, false}) {
            List<Integer> index = new ArrayList<>();
            List<byte[]> faces = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).flip() == flip) {
                    index.add(i);
                    faces.add(inputs.get(i).rgb());
                }
            }
            if (faces.isEmpty()) {
                continue;
            }
            AgeModel.Predictions p = model.predict(faces, flip);
            for (int j = 0; j < index.size(); j++) {
                float[] dist = p.distributions() == null ? null : p.distributions()[j];
                out[index.get(j)] = new FacePrediction(p.ages()[j], dist);
            }
        }
        return Arrays.asList(out);
    }

    /** Finishes the accepted work, stops the worker and frees the model's native memory. */
    public synchronized void close(Duration timeout) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (batcher != null) {
            batcher.close(timeout);
        }
        if (model != null) {
            model.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
