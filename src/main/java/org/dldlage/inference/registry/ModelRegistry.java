package org.dldlage.inference.registry;

import org.dldlage.inference.batch.BatchSizeTuning;
import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.ModelFailedException;
import org.dldlage.inference.NotReadyException;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.UnknownModelException;
import org.dldlage.inference.WorkerDiedException;
import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.dldlage.model.bundle.BundleException;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;

/**
 * The models being served, by name (the bundle folder's name), one of them the default.
 *
 * <p>Each model has one serving {@link ModelRuntime} (its own micro-batcher and worker). A new
 * version (a new folder, or a folder whose files changed) is loaded, verified and warmed up on the
 * registry's own thread while the old version keeps serving, then swapped in with one volatile
 * write: requests lease the version they start with ({@link #lease}) and finish on it; the old
 * version is closed (worker joined, native memory freed) once its last lease is returned. A version
 * that fails to load is reported ({@link #models()}, log, meters) and the previous one keeps serving.
 *
 * <p>Loads, scans and reloads all run on one thread, so they never race each other; requests only
 * read each model's serving version. The parts: {@link BundleFolders} (where the bundles are, what
 * identifies a version), {@link StoreScan} (finding new and changed ones), {@link Versions} (loading,
 * swapping, retiring), {@link ModelEntry} (one model's state).
 */
public final class ModelRegistry implements AutoCloseable {

    /** A served model's state, as {@code GET /v1/models} and the health check show it. */
    public enum State {
        /** No version has finished loading yet. */
        LOADING,
        /** A version serves requests (a newer one may be loading, or may have failed). */
        READY,
        /** No version could be loaded, or the serving one's inference worker is down: see {@link Failure}. */
        FAILED
    }

    /** Where the bundles are. */
    public interface BundleSource {
        /** Bundle folders present now (folders with a {@code model.json}), by model name, in listing order. */
        Map<String, Path> bundles();

        /** For messages: the store folder, or the single bundle. */
        String describe();
    }

    /** Every sub-folder of {@code store} with a {@code model.json}, or only the {@code names} listed (when not empty). */
    public static BundleSource store(Path store, List<String> names) {
        return new BundleFolders.Store(store, names);
    }

    /** One bundle folder (the {@code age.model.path} shortcut); its in-place changes are still new versions. */
    public static BundleSource single(Path bundle) {
        return new BundleFolders.Single(bundle);
    }

    /** @param reason one line; @param at when the load failed */
    public record Failure(String reason, Instant at) {}

    /**
     * One model as {@code GET /v1/models} shows it.
     *
     * @param version the serving version (counted from 1 by this process), null while none serves
     * @param device where the serving version runs
     * @param manifest the serving version's manifest, else the bundle's {@code model.json} if readable
     * @param memory what the serving version costs
     * @param reloading a newer version is being loaded
     * @param lastFailure the last load that failed (cleared by a successful one)
     * @param activeRequests requests holding the serving version now
     */
    public record ModelStatus(String name, boolean isDefault, State state, Integer version, String path, String device,
            BundleManifest manifest, ModelRuntime.ResidentCost memory, Instant loadedAt, boolean reloading,
            Failure lastFailure, int activeRequests, BatchSizeTuning batchSizes, int maxBatchSize) {
        /** The manifest as its {@code model.json} holds it, for callers that show it without reading it. */
        public JsonNode manifestJson() { return manifest == null ? null : ModelBundles.JSON.valueToTree(manifest); }
    }

    /**
     * What a reload did to one model.
     *
     * @param version the serving version after it (null while none serves)
     * @param reason why the load failed (null unless {@link Result#FAILED})
     */
    public record ReloadOutcome(String name, Result outcome, Integer version, String reason) {

        /** Written as {@code loaded}, {@code failed} or {@code unchanged}. */
        public enum Result {
            LOADED, FAILED, UNCHANGED;

            @JsonValue
            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /** A request's hold on one version; close it when the request has been answered. */
    public static final class Lease implements AutoCloseable {
        private final ModelRuntime runtime;
        private boolean open = true;

        private Lease(ModelRuntime runtime) {
            this.runtime = runtime;
        }

        public ModelRuntime runtime() {
            return runtime;
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                runtime.release();
            }
        }
    }

    private final BundleSource source;
    private final Versions versions;
    private final Map<String, ModelEntry> entries = new ConcurrentSkipListMap<>();
    private final StoreScan storeScan;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "model-registry"));
    private volatile String defaultName;
    private volatile boolean closed;

    /**
     * @param defaultName the default model, or null for the bundle with the lowest mean validation MAE ({@link #discover})
     * @param tuneBatchSize measure each version's forward pass when it loads ({@link BatchSizeTuning})
     * @param drainTimeout how long a retired version waits for its requests before it is closed anyway
     */
    public ModelRegistry(BundleSource source, String defaultName, ModelRuntime.Loader loader, Supplier<Device> device,
            MicroBatcher.Settings batching, boolean tuneBatchSize, PipelineMeters meters, Duration drainTimeout) {
        this.source = source;
        this.defaultName = defaultName;
        this.versions = new Versions(loader, device, batching, tuneBatchSize, meters, drainTimeout);
        this.storeScan = new StoreScan(source, entries, versions);
    }

    /**
     * Finds the bundles and reads their manifests, before anything loads: the default must have a valid
     * one ({@link BundleException} otherwise, naming it); the others' problems are logged and reported.
     */
    public synchronized void discover() {
        Map<String, Path> found = source.bundles();
        String chosen = defaultName;
        for (Map.Entry<String, Path> b : found.entrySet()) {
            ModelEntry e = entries.computeIfAbsent(b.getKey(), n -> new ModelEntry(n, b.getValue()));
            try {
                e.manifest = ModelBundles.readManifest(b.getValue());
                if (defaultName == null && (chosen == null || better(e.manifest, entries.get(chosen).manifest))) {
                    chosen = b.getKey();
                }
            } catch (BundleException ex) {
                if (b.getKey().equals(defaultName)) {
                    throw ex;
                }
                e.attempted = BundleFolders.fingerprint(b.getValue()); // reported once, retried when its files change
                versions.fail(e, ex.getMessage(), true);
            }
        }
        if (chosen == null) {
            throw new BundleException(found.isEmpty() ? "no model bundle (a folder with " + ModelBundles.MANIFEST + ") in "
                    + source.describe() : "no model bundle in " + source.describe() + " has a valid " + ModelBundles.MANIFEST);
        }
        if (!entries.containsKey(chosen)) {
            throw new BundleException("the default model " + chosen + " is not among the bundles in " + source.describe()
                    + " " + names());
        }
        defaultName = chosen;
    }

    /**
     * Without a configured default, the bundle with the lowest mean validation MAE over the sets its
     * report scored ({@code SET.val.mae} in its metrics, the aligned path) is the default; bundles
     * without such metrics follow in name order.
     */
    private static boolean better(BundleManifest candidate, BundleManifest current) {
        double a = meanValMae(candidate);
        double b = current == null ? Double.NaN : meanValMae(current);
        return !Double.isNaN(a) && (Double.isNaN(b) || a < b);
    }

    private static double meanValMae(BundleManifest m) {
        if (m.testMetrics() == null) {
            return Double.NaN;
        }
        return m.testMetrics().entrySet().stream().filter(x -> x.getKey().endsWith(".val.mae") && x.getValue() != null)
                .mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
    }

    /** Loads the default model on the calling thread; its failure is thrown (start-up fails). */
    public void startDefault() {
        ModelEntry e = entries.get(defaultName);
        String reason = versions.load(e, BundleFolders.fingerprint(e.path), true);
        if (reason != null) {
            throw new BundleException(reason);
        }
    }

    /** Loads the other models in the background, then scans for new versions every {@code interval} (null: never). */
    public void startBackground(Duration interval) {
        worker.execute(() -> entries.values().forEach(e -> {
            if (e.current == null && e.state != State.FAILED && !closed) {
                versions.load(e, BundleFolders.fingerprint(e.path), false);
            }
        }));
        if (interval != null) {
            long ms = Math.max(10, interval.toMillis());
            worker.scheduleWithFixedDelay(() -> scan(false, null), ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Looks for new and changed bundles now and loads them (without waiting for files to settle), or,
     * with a name, reloads that model even if unchanged. Waits for the loads to finish.
     */
    public List<ReloadOutcome> reload(String name, Duration timeout) {
        if (name != null && !entries.containsKey(name) && !source.bundles().containsKey(name)) {
            throw new UnknownModelException(name, names());
        }
        try {
            return worker.submit(() -> scan(true, name)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reloading");
        } catch (ExecutionException e) {
            throw new IllegalStateException("reload failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("reload still running after " + timeout.toSeconds() + " s; see GET /v1/models");
        }
    }

    /** On the registry thread. */
    private List<ReloadOutcome> scan(boolean now, String only) {
        return closed ? List.of() : storeScan.scan(now, only);
    }

    /**
     * A lease on the serving version of a model (null: the default). Never waits: a swap in progress
     * gives either the old version (which stays open until the lease is closed) or the new one.
     *
     * @throws UnknownModelException when no model has that name
     * @throws NotReadyException while the model loads, or when it failed to load
     */
    public Lease lease(String name) {
        ModelEntry e = entries.get(name == null ? defaultName : name);
        if (e == null) {
            throw new UnknownModelException(name, names());
        }
        while (true) {
            ModelRuntime rt = e.current;
            if (rt == null || closed) {
                throw e.state == State.FAILED ? new ModelFailedException(e.name, e.failure.reason())
                        : new NotReadyException(closed, closed ? null : "model " + e.name + " is still loading; retry shortly");
            }
            WorkerDiedException down = rt.batcher().failure();
            if (down != null) {
                throw down; // its inference worker died: refuse before the request reads its upload
            }
            if (rt.tryAcquire()) {
                return new Lease(rt);
            }
            Thread.onSpinWait(); // retired between the read and the acquire: its successor is already current
        }
    }

    /** The serving version of a model (null while none serves); for status, not for requests. */
    public ModelRuntime runtime(String name) {
        ModelEntry e = entries.get(name == null ? defaultName : name);
        return e == null ? null : e.current;
    }

    public String defaultName() {
        return defaultName;
    }

    /** Every known model's name, sorted. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public State state(String name) {
        ModelEntry e = entries.get(name == null ? defaultName : name);
        return e == null ? null : e.state();
    }

    public boolean defaultReady() {
        return state(null) == State.READY && !closed;
    }

    /** Every model with its state, manifest and memory, sorted by name. */
    public List<ModelStatus> models() {
        List<ModelStatus> out = new ArrayList<>();
        for (ModelEntry e : entries.values()) {
            out.add(e.status(e.name.equals(defaultName)));
        }
        return out;
    }

    /** Stops scanning, then closes every model once its requests are answered. */
    public void close(Duration timeout) {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS); // a load in progress finishes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ModelEntry e : entries.values()) {
            ModelRuntime rt = e.current;
            if (rt != null) {
                versions.retire(rt);
            }
        }
        versions.close(timeout.multipliedBy(2));
    }

    @Override
    public void close() {
        close(versions.drainTimeout());
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
