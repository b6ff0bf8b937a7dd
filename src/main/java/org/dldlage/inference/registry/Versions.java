package org.dldlage.inference.registry;

import ai.djl.Device;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.dldlage.inference.PipelineMeters;
import org.dldlage.inference.batch.MicroBatcher;
import org.dldlage.model.bundle.BundleException;
import org.dldlage.model.bundle.ModelBundles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads new versions of models and retires the ones they replace: a version is loaded, verified and
 * warmed up while the previous one keeps serving, then swapped in with one volatile write; the
 * previous one is closed (worker joined, native memory freed) on a thread of its own once its last
 * lease is returned, or after the drain timeout. Loads run on the registry's thread only.
 */
final class Versions {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelRuntime.Loader loader;
    private final Supplier<Device> device;
    private final MicroBatcher.Settings batching;
    private final boolean tuneBatchSize;
    private final PipelineMeters meters;
    private final Duration drainTimeout;
    private final ExecutorService retirer;

    /** @param drainTimeout how long a retired version waits for its requests before it is closed anyway */
    Versions(ModelRuntime.Loader loader, Supplier<Device> device, MicroBatcher.Settings batching, boolean tuneBatchSize,
            PipelineMeters meters, Duration drainTimeout) {
        this.loader = loader;
        this.device = device;
        this.batching = batching;
        this.tuneBatchSize = tuneBatchSize;
        this.meters = meters;
        this.drainTimeout = drainTimeout;
        this.retirer = Executors.newSingleThreadExecutor(r -> ModelRegistry.daemon(r, "model-retire"));
    }

    Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * Loads one version and swaps it in.
     *
     * @param startup the default model at start-up: its failure is reported by the start-up failure line
     * @return null, or why it failed
     */
    String load(ModelEntry e, String fingerprint, boolean startup) {
        e.attempted = fingerprint;
        e.reloading = e.current != null;
        int version = e.versions + 1;
        ModelRuntime next = new ModelRuntime(e.name, version, e.path, device, loader, batching, tuneBatchSize,
                meters.forModel(e.name, () -> {
                    ModelRuntime rt = e.current;
                    return rt == null ? null : rt.batcher();
                }));
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
        e.state = ModelRegistry.State.READY;
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

    /** Records a failed load; the serving version, if any, keeps serving. */
    void fail(ModelEntry e, String reason, boolean logIt) {
        e.failure = new ModelRegistry.Failure(reason, Instant.now());
        if (e.current == null) {
            e.state = ModelRegistry.State.FAILED;
        }
        meters.loadFailed(e.name);
        if (!logIt) {
            return;
        }
        if (e.current == null) {
            log.error("Model {} failed to load: {}", e.name, reason);
        } else {
            log.error("Model {}: the new version failed to load, v{} keeps serving: {}", e.name, e.current.version(), reason);
        }
    }

    /** Closes a replaced version once the requests holding it are answered (or after the drain timeout). */
    void retire(ModelRuntime old) {
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

    /** Waits for the retirements already asked for, then stops the retiring thread. */
    void close(Duration timeout) {
        retirer.shutdown();
        try {
            retirer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
