package org.dldlage.model;

import org.dldlage.model.net.Architecture;
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

/** The age score map of Sec. 4.6 on real faces. */
class ScoreMapTest {

    @TempDir
    Path tmp;

    @Test
    void mapHasTheLastConvShapeVariesOverTheFaceAndAveragesToTheExpectedLogit() throws IOException {
        List<byte[]> faces = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedData.utkface().resolve("images")).sorted().limit(3)) {
            for (Path f : files.toList()) {
                faces.add(ImageOps.resizeCentreCrop(ImageIO.read(f.toFile()), 224));
            }
        }
        TestBundles.write(tmp.resolve("tiny224"), Architecture.TINY, 224, 9);
        try (AgeModel model = AgeModel.load(tmp.resolve("tiny224"), Device.cpu())) {
            AgeModel.ScoreMaps s = model.scoreMaps(faces);
            // 224 / 2^5 = 7: the map global average pooling reduces
            assertThat(s.height()).isEqualTo(7);
            assertThat(s.width()).isEqualTo(7);
            for (int i = 0; i < faces.size(); i++) {
                float[] m = s.maps()[i];
                assertThat(m).hasSize(49);
                float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                double mean = 0;
                for (float v : m) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    mean += v;
                }
                mean /= m.length;
                assertThat(max - min).as("S varies over a real face").isGreaterThan(1e-3f);
                // mean over positions of S = Σ_k p̂_k x_k, since GAP and the FC layer are linear
                assertThat(mean).isCloseTo(s.expectedLogits()[i], within(1e-4 * Math.max(1, Math.abs(s.expectedLogits()[i]))));
            }
        }
    }
}
