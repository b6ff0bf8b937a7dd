package org.dldlage.inference.registry;

import java.nio.file.Path;
import java.time.Instant;
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

    /** This model as {@code GET /v1/models} shows it. */
    ModelRegistry.ModelStatus status(boolean isDefault) {
        ModelRuntime rt = current;
        return new ModelRegistry.ModelStatus(name, isDefault, state, rt == null ? null : rt.version(), path.toString(),
                rt == null ? null : rt.deviceName(), rt == null ? manifest : rt.manifest(), rt == null ? null : rt.cost(),
                loadedAt, reloading, failure, rt == null ? 0 : rt.activeLeases(), rt == null ? null : rt.tuning(),
                rt == null ? 0 : rt.maxBatchSize());
    }
}
