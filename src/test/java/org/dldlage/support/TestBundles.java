package org.dldlage.support;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.dldlage.core.LabelSpace;
import org.dldlage.model.BundleManifest;
import org.dldlage.model.ModelBundles;

/** Real model bundles with randomly initialised weights: the plumbing is real, the ages arbitrary. */
public final class TestBundles {

    private TestBundles() {}

    /** Writes a {@code dldl-v2} bundle of the given architecture ({@code TinyAgeNet}/{@code ThinAgeNet}) and input size. */
    public static Path write(Path dir, String architecture, int inputSize) {
        BundleManifest template = new BundleManifest(BundleManifest.FORMAT_VERSION, dir.getFileName().toString(),
                architecture, architecture.startsWith("Thin") ? 0.5 : 0.25, true, inputSize,
                BundleManifest.Labels.of(LabelSpace.DEFAULT), "dldl-v2", 1.0, BundleManifest.Normalization.authors(),
                new BundleManifest.Alignment("crop", null),
                new BundleManifest.Training("none (random weights, a test fixture)", "none", 0, 0, 0, Map.of()),
                Map.of(), "2025-01-01T00:00:00Z", null);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelBundles.network(template, ModelBundles.method(template));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, inputSize, inputSize));
            ModelBundles.write(dir, block, template);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
