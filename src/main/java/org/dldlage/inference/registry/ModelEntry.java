package org.dldlage.inference.registry;

import java.nio.file.Path;
import java.time.Instant;
import org.dldlage.inference.WorkerDiedException;
import org.dldlage.model.bundle.BundleManifest;

/**
 * One served model: its serving version, state and last failure. Written on the registry's thread,
 * read by requests (hence volatile).
 */
final class ModelEntry {
    final String name;
    volatile Path path;
    volatile ModelRuntime current;
    volatile ModelRegistry.State state = ModelRegistry.State.LOADING;
    volatile ModelRegistry.Failure failure;
    volatile boolean reloading;
    volatile Instant loadedAt;
    volatile BundleManifest manifest;
    volatile boolean present = true;
    /** The files the last load attempt read (null before any). */
    String attempted;
    int versions;

    ModelEntry(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    /** The state requests see: FAILED also while the serving version's inference worker is down. */
    ModelRegistry.State state() {
        ModelRuntime rt = current;
        return rt != null && rt.batcher().failure() != null ? ModelRegistry.State.FAILED : state;
    }

    /** The last failed load or, if later, the serving version's last worker death. */
    ModelRegistry.Failure lastFailure() {
        ModelRuntime rt = current;
        WorkerDiedException death = rt == null ? null : rt.batcher().lastDeath();
        ModelRegistry.Failure load = failure;
        return death == null || (load != null && load.at().isAfter(death.at())) ? load
                : new ModelRegistry.Failure(death.getMessage(), death.at());
    }

    /** This model as {@code GET /v1/models} shows it. */
    ModelRegistry.ModelStatus status(boolean isDefault) {
        ModelRuntime rt = current;
        return new ModelRegistry.ModelStatus(name, isDefault, state(), rt == null ? null : rt.version(), path.toString(),
                rt == null ? null : rt.deviceName(), rt == null ? manifest : rt.manifest(), rt == null ? null : rt.cost(),
                loadedAt, reloading, lastFailure(), rt == null ? 0 : rt.activeLeases(), rt == null ? null : rt.tuning(),
                rt == null ? 0 : rt.maxBatchSize());
    }
}
