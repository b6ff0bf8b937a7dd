package org.dldlage.inference.registry;

import org.dldlage.inference.batch.BatchSizeTuning;
import org.dldlage.inference.batch.MicroBatcher;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.dldlage.model.AgeModel;
import org.dldlage.model.bundle.BundleManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a model and its inference worker: loads the bundle, runs a warm-up forward
 * pass, then serves batches of faces through a {@link MicroBatcher}. Ready only after the warm-up.
 *
 * <p>Requests hold a lease ({@link #tryAcquire}/{@link #release}) while they use it, so a hot swap
 * can {@link #retire} this version: new leases go to its successor, and it is closed only once the
 * last request holding one has been answered ({@link #drained}).
 */
public final class ModelRuntime implements AutoCloseable {

    /** Loads a bundle onto a device ({@link AgeModel#load} in production). */
    @FunctionalInterface
    public interface Loader {
        AgeModel load(Path dir, Device device);
    }

    /** One face for the network: S·S·3 RGB bytes, whether to average with its mirror image, whether to add its score map. */
    public record FaceInput(byte[] rgb, boolean flip, boolean explain) {}

    /**
     * @param distribution p̂ (K values), or null for methods without one
     * @param scoreMap the age score map (mapHeight × mapWidth) when the input asked for it, else null
     */
    public record FacePrediction(float age, float[] distribution, float[] scoreMap, int mapHeight, int mapWidth) {

        public FacePrediction(float age, float[] distribution) {
            this(age, distribution, null, 0, 0);
        }
    }

    /**
     * What a loaded version costs.
     *
     * @param parameterBytes bytes of the parameter tensors the model holds (exact: elements × type size)
     * @param rssDeltaBytes the process's resident set size after loading and warming up, minus before
     *     ({@code VmRSS} of {@code /proc/self/status}; parameters, engine workspace and allocator caches together, approximate
     *     since other threads allocate too); null where /proc is not available
     */
    public record ResidentCost(long parameterBytes, Long rssDeltaBytes) {}

    private static final Logger log = LoggerFactory.getLogger(ModelRuntime.class);

    private final String name;
    private final int version;
    private final Path path;
    private final Supplier<Device> device;
    private final Loader loader;
    private final MicroBatcher.Settings batching;
    private final boolean tuneBatchSize;
    private final MicroBatcher.Listener listener;
    private volatile boolean closed;
    private volatile AgeModel model;
    private volatile MicroBatcher<FaceInput, FacePrediction> batcher;
    private volatile ResidentCost cost;
    private volatile BatchSizeTuning tuning;
    /** The registry's own reference plus one per request holding a lease; 0 = retired and drained. */
    private final AtomicInteger leases = new AtomicInteger(1);
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean retired;

    /**
     * @param name the model's name in the API (its bundle folder's name)
     * @param version counts the versions of this model loaded by the process, from 1
     * @param device resolved when the model loads (finding GPUs starts the engine)
     * @param tuneBatchSize measure the forward pass when loading and serve with the batch size (at most
     *     {@code batching.maxBatchSize()}) that costs least per face ({@link BatchSizeTuning})
     */
    public ModelRuntime(String name, int version, Path path, Supplier<Device> device, Loader loader,
            MicroBatcher.Settings batching, boolean tuneBatchSize, MicroBatcher.Listener listener) {
        this.name = name;
        this.version = version;
        this.path = path;
        this.device = device;
        this.loader = loader;
        this.batching = batching;
        this.tuneBatchSize = tuneBatchSize;
        this.listener = listener;
    }

    /**
     * Loads the bundle, runs one forward pass and starts the worker.
     *
     * @throws org.dldlage.model.bundle.BundleException when the bundle is missing or corrupt
     */
    public synchronized void start() {
        Device d = device.get(); // may start the engine: outside the measured interval
        long rssBefore = ResidentMemory.bytes();
        AgeModel loaded = loader.load(path, d);
        try {
            int s = loaded.inputSize();
            loaded.predict(List.of(new byte[s * s * 3]), true); // warm-up: first-call allocations happen now
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        long rssAfter = ResidentMemory.bytes();
        cost = new ResidentCost(ResidentMemory.parameterBytes(loaded.network()),
                rssBefore < 0 || rssAfter < 0 ? null : rssAfter - rssBefore);
        MicroBatcher.Settings settings = batching;
        if (tuneBatchSize && batching.maxBatchSize() > 1) {
            try {
                tuning = tune(loaded, batching.maxBatchSize());
                settings = batching.withMaxBatchSize(tuning.chosen());
                log.info("{} v{}: forward cost by batch size {}; serving batches of at most {} (age.batching.max-batch-size={})",
                        name, version, tuning.describe(), tuning.chosen(), batching.maxBatchSize());
            } catch (RuntimeException e) { // e.g. out of device memory at the largest size: the setting still holds
                log.warn("{} v{}: measuring batch sizes failed ({}); serving batches of at most {}", name, version, e.getMessage(),
                        batching.maxBatchSize());
            }
        }
        model = loaded;
        batcher = new MicroBatcher<>(name + "-v" + version, this::forward, settings, listener,
                ModelRuntime::applyEngineThreads);
    }

    /** Measures on a fresh thread with the inference worker's intra-op thread count (PyTorch keeps it per thread). */
    private static BatchSizeTuning tune(AgeModel loaded, int max) {
        FutureTask<BatchSizeTuning> task = new FutureTask<>(() -> {
            applyEngineThreads();
            return BatchSizeTuning.measure(loaded, max);
        });
        new Thread(task, "batch-size-tuning").start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring batch sizes", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The most faces in one forward pass: the setting, or the tuned size (0 until loaded). */
    public int maxBatchSize() {
        MicroBatcher<FaceInput, FacePrediction> b = batcher;
        return b == null ? 0 : b.settings().maxBatchSize();
    }

    /** What the batch-size measurement found (null when not tuned). */
    public BatchSizeTuning tuning() {
        return tuning;
    }

    /** Takes a lease for one request; false once this version is retired and drained. */
    public boolean tryAcquire() {
        while (true) {
            int n = leases.get();
            if (n == 0) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Returns a lease taken with {@link #tryAcquire}. */
    public void release() {
        if (leases.decrementAndGet() == 0) {
            drained.complete(null);
        }
    }

    /**
     * Drops the registry's own reference: once every request holding a lease has released it,
     * {@link #drained} completes and the caller may {@link #close} this version.
     */
    public CompletableFuture<Void> retire() {
        if (!retired) {
            retired = true;
            release();
        }
        return drained;
    }

    /** Completes when this version is retired and no request holds it any more. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    /** Requests holding a lease now. */
    public int activeLeases() {
        return Math.max(0, leases.get() - (retired ? 0 : 1));
    }

    public String name() { return name; }

    public int version() { return version; }

    /** What this version costs in memory (null until loaded). */
    public ResidentCost cost() { return cost; }

    /** Whether this version has been closed: its worker stopped and its native memory freed. */
    public boolean closed() { return closed; }

    public Path path() { return path; }

    /** The loaded model (null until loaded). */
    public AgeModel model() { return model; }

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
        explain(inputs, out);
        return Arrays.asList(out);
    }

    /** Adds score maps, of the face as given (not mirrored), for the inputs that asked. */
    private void explain(List<FaceInput> inputs, FacePrediction[] out) {
        List<Integer> index = new ArrayList<>();
        List<byte[]> faces = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).explain()) {
                index.add(i);
                faces.add(inputs.get(i).rgb());
            }
        }
        if (faces.isEmpty() || !model.method().predictsDistribution()) {
            return;
        }
        AgeModel.ScoreMaps maps = model.scoreMaps(faces);
        for (int j = 0; j < index.size(); j++) {
            FacePrediction p = out[index.get(j)];
            out[index.get(j)] = new FacePrediction(p.age(), p.distribution(), maps.maps()[j], maps.height(), maps.width());
        }
    }

    /** Finishes the accepted work, stops the worker and frees the model's native memory. */
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
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
