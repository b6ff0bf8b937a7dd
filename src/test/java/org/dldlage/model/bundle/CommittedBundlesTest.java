package org.dldlage.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.dldlage.model.net.AgeNet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundles committed in {@code model-store/} load into today's network, and it writes their
 * parameters back byte for byte: the named parts (input, features, head) kept the flat file layout.
 */
class CommittedBundlesTest {

    static List<Path> bundles() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("model-store"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(ModelBundles.MANIFEST))).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void parametersSavedAgainAreTheBundlesOwnFile(Path dir) throws Exception {
        BundleManifest m = ModelBundles.readManifest(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            AgeNet network = ModelBundles.loadNetwork(dir, m, manager);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                network.saveParameters(out);
            }
            assertThat(bytes.size()).isEqualTo(m.parameters().bytes());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
            assertThat(sha).as("SHA-256 of the parameters written again").isEqualTo(m.parameters().sha256());
        }
    }
}
