package org.dldlage.inference.registry;

import org.dldlage.inference.batch.BatchSizeTuning;
import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.inference.ModelFailedException;
import org.dldlage.inference.NotReadyException;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.UnknownModelException;
import org.dldlage.inference.WorkerDiedException;
import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.dldlage.model.bundle.BundleException;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * read {@code current}.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    public enum State {
        /** No version has finished loading yet. */
        LOADING,
        /** A version serves requests (a newer one may be loading, or may have failed). */
        READY,
        /** No version could be loaded: see {@link Failure}. */
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
        return new BundleSource() {
            @Override
            public Map<String, Path> bundles() {
                Map<String, Path> out = new LinkedHashMap<>();
                if (!names.isEmpty()) {
                    names.forEach(n -> {
                        if (Files.isRegularFile(store.resolve(n).resolve(ModelBundles.MANIFEST))) {
                            out.put(n, store.resolve(n));
                        }
                    });
                    return out;
                }
                try (Stream<Path> dirs = Files.list(store)) {
                    // folders without model.json (model-store/mtcnn, half-copied folders) are not bundles
                    dirs.filter(d -> Files.isRegularFile(d.resolve(ModelBundles.MANIFEST)))
                            .sorted().forEach(d -> out.put(d.getFileName().toString(), d));
                } catch (IOException e) {
                    log.warn("Cannot list the model store {}: {}", store.toAbsolutePath(), e.toString());
                }
                return out;
            }

            @Override
            public String describe() {
                return store.toString();
            }
        };
    }

    /** One bundle folder (the {@code age.model.path} shortcut); its in-place changes are still new versions. */
    public static BundleSource single(Path bundle) {
        return new BundleSource() {
            @Override
            public Map<String, Path> bundles() {
                return Files.isRegularFile(bundle.resolve(ModelBundles.MANIFEST))
                        ? Map.of(bundle.getFileName().toString(), bundle) : Map.of();
            }

            @Override
            public String describe() {
                return bundle.toString();
            }
        };
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
        public com.fasterxml.jackson.databind.JsonNode manifestJson() {
            return manifest == null ? null : ModelBundles.JSON.valueToTree(manifest);
        }
    }

    /** What a reload did to one model: {@code loaded}, {@code failed} or {@code unchanged}. */
    public record ReloadOutcome(String name, String outcome, Integer version, String reason) {}

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

    private static final class Entry {
        final String name;
        volatile Path path;
        volatile ModelRuntime current;
        volatile State state = State.LOADING;
        volatile Failure failure;
        volatile boolean reloading;
        volatile Instant loadedAt;
        volatile BundleManifest manifest;
        volatile boolean present = true;
        /** The files the last load attempt read (null before any). */
        String attempted;
        int versions;

        Entry(String name, Path path) {
            this.name = name;
            this.path = path;
        }
    }

    private final BundleSource source;
    private final ModelRuntime.Loader loader;
    private final Supplier<Device> device;
    private final MicroBatcher.Settings batching;
    private final boolean tuneBatchSize;
    private final PipelineMeters meters;
    private final Duration drainTimeout;
    private final Map<String, Entry> entries = new ConcurrentSkipListMap<>();
    /** Fingerprints seen by the previous scan: a bundle loads once two scans in a row agree (done copying). */
    private final Map<String, String> settling = new LinkedHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "model-registry"));
    private final ExecutorService retirer = Executors.newSingleThreadExecutor(r -> daemon(r, "model-retire"));
    private volatile String defaultName;
    private volatile boolean closed;

    /**
     * @param defaultName the default model, or null for the first bundle (in listing order) whose manifest reads
     * @param tuneBatchSize measure each version's forward pass when it loads ({@link BatchSizeTuning})
     * @param drainTimeout how long a retired version waits for its requests before it is closed anyway
     */
    public ModelRegistry(BundleSource source, String defaultName, ModelRuntime.Loader loader, Supplier<Device> device,
            MicroBatcher.Settings batching, boolean tuneBatchSize, PipelineMeters meters, Duration drainTimeout) {
        this.source = source;
        this.defaultName = defaultName;
        this.loader = loader;
        this.device = device;
        this.batching = batching;
        this.tuneBatchSize = tuneBatchSize;
        this.meters = meters;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Finds the bundles and reads their manifests, before anything loads: the default must have a valid
     * one ({@link BundleException} otherwise, naming it); the others' problems are logged and reported.
     */
    public synchronized void discover() {
        Map<String, Path> found = source.bundles();
        String chosen = defaultName;
        for (Map.Entry<String, Path> b : found.entrySet()) {
            Entry e = entries.computeIfAbsent(b.getKey(), n -> new Entry(n, b.getValue()));
            try {
                e.manifest = ModelBundles.readManifest(b.getValue());
                if (defaultName == null && (chosen == null || better(e.manifest, entries.get(chosen).manifest))) {
                    chosen = b.getKey();
                }
            } catch (BundleException ex) {
                if (b.getKey().equals(defaultName)) {
                    throw ex;
                }
                e.attempted = fingerprint(b.getValue()); // reported once, retried when its files change
                fail(e, ex.getMessage(), true);
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

    static double meanValMae(BundleManifest m) {
        if (m.testMetrics() == null) {
            return Double.NaN;
        }
        return m.testMetrics().entrySet().stream().filter(x -> x.getKey().endsWith(".val.mae") && x.getValue() != null)
                .mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
    }

    /** Loads the default model on the calling thread; its failure is thrown (start-up fails). */
    public void startDefault() {
        Entry e = entries.get(defaultName);
        String reason = load(e, fingerprint(e.path), true);
        if (reason != null) {
            throw new BundleException(reason);
        }
    }

    /** Loads the other models in the background, then scans for new versions every {@code interval} (null: never). */
    public void startBackground(Duration interval) {
        worker.execute(() -> entries.values().forEach(e -> {
            if (e.current == null && e.state != State.FAILED && !closed) {
                load(e, fingerprint(e.path), false);
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
        List<ReloadOutcome> outcomes = new ArrayList<>();
        if (closed) {
            return outcomes;
        }
        try {
            Map<String, Path> found = source.bundles();
            for (Entry e : entries.values()) {
                boolean present = found.containsKey(e.name);
                if (e.present && !present) {
                    log.warn("Model {}: bundle folder {} is gone; the loaded version keeps serving", e.name, e.path);
                }
                e.present = present;
            }
            for (Map.Entry<String, Path> b : found.entrySet()) {
                String name = b.getKey();
                if (only != null && !only.equals(name)) {
                    continue;
                }
                String fp = fingerprint(b.getValue());
                Entry e = entries.get(name);
                boolean changed = e == null || !fp.equals(e.attempted) || only != null;
                if (!changed) {
                    settling.remove(name);
                    outcomes.add(new ReloadOutcome(name, "unchanged", e.current == null ? null : e.current.version(), null));
                    continue;
                }
                if (!now && !fp.equals(settling.put(name, fp))) {
                    continue; // still being written, or just appeared: look again next scan
                }
                settling.remove(name);
                if (e == null) {
                    e = new Entry(name, b.getValue());
                    entries.put(name, e);
                    log.info("New model bundle {} in {}", name, source.describe());
                }
                e.path = b.getValue();
                String reason = load(e, fp, false);
                outcomes.add(new ReloadOutcome(name, reason == null ? "loaded" : "failed",
                        e.current == null ? null : e.current.version(), reason));
            }
            settling.keySet().retainAll(found.keySet());
        } catch (RuntimeException e) {
            log.error("Model scan failed", e); // the scheduler would stop scanning if this escaped
        }
        return outcomes;
    }

    /** Loads one version and swaps it in; returns null, or why it failed. */
    /** @param startup the default model at start-up: its failure is reported by the start-up failure line */
    private String load(Entry e, String fingerprint, boolean startup) {
        e.attempted = fingerprint;
        e.reloading = e.current != null;
        int version = e.versions + 1;
        String name = e.name;
        ModelRuntime next = new ModelRuntime(name, version, e.path, device, loader, batching, tuneBatchSize,
                meters.forModel(name, () -> batcherOf(name)));
        long t0 = System.nanoTime();
        try {
            e.manifest = ModelBundles.readManifest(e.path);
            next.start();
        } catch (RuntimeException | LinkageError ex) {
            next.close(Duration.ZERO);
            e.reloading = false;
            String reason = ex instanceof BundleException ? ex.getMessage() : ex.toString();
            fail(e, reason, !startup);
            return reason;
        }
        e.versions = version;
        ModelRuntime old = e.current;
        e.current = next; // the swap: new leases get this version from now on
        e.state = State.READY;
        e.failure = null;
        e.loadedAt = Instant.now();
        e.manifest = next.manifest();
        e.reloading = false;
        meters.modelLoaded(next);
        ModelRuntime.ResidentCost c = next.cost();
        log.info("Model {} v{} ({}, input {}×{}) ready on {} in {} ms: parameters {} KiB, resident +{} KiB{}", e.name, version,
                next.manifest().architecture(), next.manifest().inputSize(), next.manifest().inputSize(), next.deviceName(),
                (System.nanoTime() - t0) / 1_000_000, c.parameterBytes() / 1024,
                c.rssDeltaBytes() == null ? "?" : c.rssDeltaBytes() / 1024, old == null ? "" : "; v" + old.version() + " retires");
        if (old != null) {
            retire(old);
        }
        return null;
    }

    private void fail(Entry e, String reason, boolean log) {
        e.failure = new Failure(reason, Instant.now());
        if (e.current == null) {
            e.state = State.FAILED;
        }
        meters.loadFailed(e.name);
        if (!log) {
            return;
        }
        if (e.current == null) {
            ModelRegistry.log.error("Model {} failed to load: {}", e.name, reason);
        } else {
            ModelRegistry.log.error("Model {}: the new version failed to load, v{} keeps serving: {}", e.name, e.current.version(), reason);
        }
    }

    /** Closes a replaced version once the requests holding it are answered (or after the drain timeout). */
    private void retire(ModelRuntime old) {
        retirer.execute(() -> {
            try {
                old.retire().get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                log.warn("Model {} v{}: {} requests still hold it after {} s; closing it anyway", old.name(), old.version(),
                        old.activeLeases(), drainTimeout.toSeconds());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ex) {
                // drained never fails
            }
            old.close(drainTimeout);
            meters.modelUnloaded(old);
            log.info("Model {} v{} closed", old.name(), old.version());
        });
    }

    /**
     * A lease on the serving version of a model (null: the default). Never waits: a swap in progress
     * gives either the old version (which stays open until the lease is closed) or the new one.
     *
     * @throws UnknownModelException when no model has that name
     * @throws NotReadyException while the model loads, or when it failed to load
     */
    public Lease lease(String name) {
        Entry e = entries.get(name == null ? defaultName : name);
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
        Entry e = entries.get(name == null ? defaultName : name);
        return e == null ? null : e.current;
    }

    private MicroBatcher<?, ?> batcherOf(String name) {
        ModelRuntime rt = runtime(name);
        return rt == null ? null : rt.batcher();
    }

    public String defaultName() {
        return defaultName;
    }

    /** Every known model's name, sorted. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public State state(String name) {
        Entry e = entries.get(name == null ? defaultName : name);
        return e == null ? null : stateOf(e);
    }

    /** FAILED also while the serving version's inference worker is down (until it restarts, or for good). */
    private static State stateOf(Entry e) {
        ModelRuntime rt = e.current;
        return rt != null && rt.batcher().failure() != null ? State.FAILED : e.state;
    }

    /** The last failed load or, if later, the serving version's last worker death. */
    private static Failure lastFailure(Entry e, ModelRuntime rt) {
        WorkerDiedException death = rt == null ? null : rt.batcher().lastDeath();
        Failure load = e.failure;
        return death == null || (load != null && load.at().isAfter(death.at())) ? load : new Failure(death.getMessage(), death.at());
    }

    public boolean defaultReady() {
        return state(null) == State.READY && !closed;
    }

    /** Every model with its state, manifest and memory, sorted by name. */
    public List<ModelStatus> models() {
        List<ModelStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            ModelRuntime rt = e.current;
            out.add(new ModelStatus(e.name, e.name.equals(defaultName), stateOf(e), rt == null ? null : rt.version(),
                    e.path.toString(), rt == null ? null : rt.deviceName(), rt == null ? e.manifest : rt.manifest(),
                    rt == null ? null : rt.cost(), e.loadedAt, e.reloading, lastFailure(e, rt), rt == null ? 0 : rt.activeLeases(),
                    rt == null ? null : rt.tuning(), rt == null ? 0 : rt.maxBatchSize()));
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
        for (Entry e : entries.values()) {
            ModelRuntime rt = e.current;
            if (rt != null) {
                retire(rt);
            }
        }
        retirer.shutdown();
        try {
            retirer.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(drainTimeout);
    }

    /**
     * What identifies a version of a bundle: the SHA-256 of {@code model.json} (which holds the
     * parameters' checksum) and the name, size and modification time of every other file in the folder.
     */
    static String fingerprint(Path dir) {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f)) {
                    s.append(f.getFileName()).append(':').append(Files.size(f)).append(':')
                            .append(Files.getLastModifiedTime(f).toMillis()).append(';');
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(dir.resolve(ModelBundles.MANIFEST)));
            sha.update(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            return "unreadable:" + e; // a folder being replaced: the next scan sees it again
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
