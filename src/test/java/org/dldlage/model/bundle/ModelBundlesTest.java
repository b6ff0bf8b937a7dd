package org.dldlage.model.bundle;

import org.dldlage.model.AgeModel;
import org.dldlage.model.net.Architecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundlesTest {

    @TempDir
    Path tmp;

    private static List<byte[]> randomFaces(int n, int size) {
        Random r = new Random(1);
        List<byte[]> faces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] f = new byte[size * size * 3];
            r.nextBytes(f);
            faces.add(f);
        }
        return faces;
    }

    @Test
    void savingThenLoadingGivesIdenticalOutputs() throws IOException {
        Path a = tmp.resolve("a");
        BundleManifest written = TestBundles.write(a, Architecture.TINY, 64, 11);
        assertThat(written.parameters().trainableCount()).isEqualTo(934_869);
        assertThat(written.parameters().sha256()).hasSize(64);
        List<byte[]> faces = randomFaces(3, 64);
        try (AgeModel first = AgeModel.load(a, Device.cpu())) {
            var p1 = first.predict(faces, true);
            // copy the bundle elsewhere: the loaded copy must give exactly the same numbers
            Path b = tmp.resolve("b");
            Files.createDirectories(b);
            for (String f : List.of(ModelBundles.MANIFEST, ModelBundles.PARAMETERS)) {
                Files.copy(a.resolve(f), b.resolve(f));
            }
            try (AgeModel second = AgeModel.load(b, Device.cpu())) {
                var p2 = second.predict(faces, true);
                assertThat(p2.ages()).containsExactly(p1.ages());
                for (int i = 0; i < 3; i++) {
                    assertThat(p2.distributions()[i]).containsExactly(p1.distributions()[i]);
                }
            }
        }
    }

    @Test
    void truncatedParameterFileIsNamed() throws IOException {
        Path dir = tmp.resolve("truncated");
        TestBundles.write(dir, Architecture.TINY, 64, 1);
        Path params = dir.resolve(ModelBundles.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> AgeModel.load(dir, Device.cpu())).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("truncated");
    }

    @Test
    void wrongChecksumIsNamed() throws IOException {
        Path dir = tmp.resolve("tampered");
        TestBundles.write(dir, Architecture.TINY, 64, 1);
        Path params = dir.resolve(ModelBundles.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 5] ^= 0x55;
        Files.write(params, bytes);
        assertThatThrownBy(() -> AgeModel.load(dir, Device.cpu())).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("SHA-256");
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        Path dir = tmp.resolve("nofield");
        TestBundles.write(dir, Architecture.TINY, 64, 1);
        Path manifest = dir.resolve(ModelBundles.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"architecture\" : \"TinyAgeNet\",", ""));
        assertThatThrownBy(() -> ModelBundles.readManifest(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("lacks architecture");
    }

    @Test
    void parametersOfAnotherArchitectureAreRejected() throws IOException {
        Path dir = tmp.resolve("wrongarch");
        TestBundles.write(dir, Architecture.TINY, 64, 1);
        Path manifest = dir.resolve(ModelBundles.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("TinyAgeNet", "ThinAgeNet"));
        assertThatThrownBy(() -> AgeModel.load(dir, Device.cpu())).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("ThinAgeNet");
    }

    @Test
    void missingBundleFolderIsNamed() {
        Path dir = tmp.resolve("nothing-here");
        assertThatThrownBy(() -> AgeModel.load(dir, Device.cpu())).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("model.json");
    }
}
