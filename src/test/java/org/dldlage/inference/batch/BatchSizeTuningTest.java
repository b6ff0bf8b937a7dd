package org.dldlage.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dldlage.model.AgeModel;
import org.dldlage.support.TestBundles;
import org.junit.jupiter.api.Test;

class BatchSizeTuningTest {

    @Test
    void choosesTheSmallestSizeWithinFivePercentOfTheCheapestPerFace() {
        int[] sizes = {1, 2, 4, 8};
        assertThat(BatchSizeTuning.choose(sizes, new double[] {10, 6, 4, 3.75})).isEqualTo(8);
        assertThat(BatchSizeTuning.choose(sizes, new double[] {10, 6, 3.9, 3.75})).as("3.9 is within 5% of 3.75").isEqualTo(4);
        assertThat(BatchSizeTuning.choose(new int[] {1, 2, 4}, new double[] {28, 35, 60})).as("bigger is dearer").isEqualTo(1);
    }

    @Test
    void measuresARealNetworkFromBatchOneUpToTheMaximum() throws Exception {
        Path dir = TestBundles.write(Files.createTempDirectory("dldl-age-tune").resolve("tiny"), "TinyAgeNet", 64);
        try (AgeModel model = AgeModel.load(dir, Device.cpu())) {
            BatchSizeTuning t = BatchSizeTuning.measure(model, 12);
            assertThat(t.sizes()[0]).isEqualTo(1);
            assertThat(t.sizes()).isSorted();
            assertThat(java.util.Arrays.stream(t.sizes()).max().orElseThrow()).isLessThanOrEqualTo(12);
            assertThat(t.msPerFace()).hasSameSizeAs(t.sizes());
            assertThat(java.util.Arrays.stream(t.msPerFace()).min().orElseThrow()).isPositive();
            assertThat(t.sizes()).contains(t.chosen());
            if (t.sizes().length == 5) {
                assertThat(t.sizes()).containsExactly(1, 2, 4, 8, 12); // the maximum itself is measured last
            }
            assertThat(t.describe()).startsWith("1: ").endsWith(" ms per face");
        }
    }
}
