package org.dldlage.model;

import org.dldlage.model.net.Architecture;
import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dldlage.face.ImageOps;
import org.dldlage.support.SharedData;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A forward pass on real UTKFace crops gives, per image, a proper distribution and an age in range. */
class RealFaceForwardTest {

    @TempDir
    Path tmp;

    @Test
    void distributionsSumToOneAndExpectationsLieInTheLabelRange() throws IOException {
        Path images = SharedData.utkface().resolve("images");
        List<byte[]> faces = new ArrayList<>();
        try (Stream<Path> files = Files.list(images).sorted().limit(8)) {
            for (Path f : files.toList()) {
                faces.add(ImageOps.resizeCentreCrop(ImageIO.read(f.toFile()), 96));
            }
        }
        TestBundles.write(tmp.resolve("thin"), Architecture.THIN, 96, 5);
        try (AgeModel model = AgeModel.load(tmp.resolve("thin"), Device.cpu())) {
            AgeModel.Predictions p = model.predict(faces, false);
            assertThat(p.ages()).hasSize(8);
            for (int i = 0; i < 8; i++) {
                float sum = 0;
                for (float v : p.distributions()[i]) {
                    assertThat(v).isBetween(0f, 1f);
                    sum += v;
                }
                assertThat(sum).isCloseTo(1f, within(1e-4f));
                assertThat(p.ages()[i]).isBetween(0f, 100f);
            }
        }
    }

    @Test
    void theBundlesTemperatureFlattensTheDistributionAndSurvivesARoundTrip() throws IOException {
        List<byte[]> faces = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedData.utkface().resolve("images")).sorted().limit(4)) {
            for (Path f : files.toList()) {
                faces.add(ImageOps.resizeCentreCrop(ImageIO.read(f.toFile()), 64));
            }
        }
        Path dir = tmp.resolve("tiny");
        BundleManifest written = TestBundles.write(dir, Architecture.TINY, 64, 3);
        ModelBundles.writeManifest(dir, written.withCalibration(new BundleManifest.Calibration(3, "a test")));
        try (AgeModel model = AgeModel.load(dir, Device.cpu())) {
            assertThat(model.manifest().temperature()).isEqualTo(3);
            float[][] hot = model.withCalibration(null).predict(faces, true).distributions();
            float[][] cool = model.predict(faces, true).distributions();
            for (int i = 0; i < faces.size(); i++) {
                assertThat(max(cool[i])).as("p̂ = softmax(z / 3) is flatter").isLessThan(max(hot[i]));
                assertThat(entropy(cool[i])).isGreaterThan(entropy(hot[i]));
            }
        }
    }

    private static float max(float[] p) {
        float m = 0;
        for (float v : p) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double entropy(float[] p) {
        double h = 0;
        for (float v : p) {
            h -= v > 0 ? v * Math.log(v) : 0;
        }
        return h;
    }
}
