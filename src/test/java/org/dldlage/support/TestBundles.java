package org.dldlage.support;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dldlage.core.LabelSpace;
import org.dldlage.model.net.AgeNet;
import org.dldlage.model.net.Architecture;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;

/** Real model bundles with randomly initialised weights: the plumbing is real, the ages arbitrary. */
public final class TestBundles {

    private TestBundles() {}

    public static BundleManifest manifest(String name, Architecture arch, int size, String method) {
        return new BundleManifest(BundleManifest.FORMAT_VERSION, name, arch.displayName(), arch.width(), true, size,
                BundleManifest.Labels.of(LabelSpace.DEFAULT), method, 1.0, BundleManifest.Normalization.authors(),
                new BundleManifest.Alignment("crop", null),
                new BundleManifest.Training("none (random weights, a test fixture)", "none", 0, 0, 0, Map.of()), Map.of(),
                "2026-01-01T00:00:00Z", null, null);
    }

    /** A seeded, randomly initialised {@code dldl-v2} bundle at {@code dir}; returns its manifest. */
    public static BundleManifest write(Path dir, Architecture arch, int size, long seed) throws IOException {
        BundleManifest m = manifest(dir.getFileName().toString(), arch, size, "dldl-v2");
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            Block block = ModelBundles.network(m, ModelBundles.method(m));
            block.initialize(manager, DataType.FLOAT32, AgeNet.inputShape(size));
            return ModelBundles.write(dir, block, m);
        }
    }

    /** A {@code dldl-v2} bundle named {@code thin-test}/{@code tiny-test} in a new temporary folder. */
    public static Path temporary(String architecture, int inputSize) {
        try {
            Path dir = Files.createTempDirectory("dldl-age-bundle");
            return write(dir.resolve(architecture.toLowerCase().replace("agenet", "") + "-test"), architecture, inputSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a {@code dldl-v2} bundle of the given architecture ({@code TinyAgeNet}/{@code ThinAgeNet}) and input size. */
    public static Path write(Path dir, String architecture, int inputSize) {
        try {
            write(dir, Architecture.parse(architecture), inputSize, 1);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
