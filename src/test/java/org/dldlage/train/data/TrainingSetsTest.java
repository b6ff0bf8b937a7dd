package org.dldlage.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dldlage.train.cli.TrainDataSet;
import org.junit.jupiter.api.Test;

/** How several sets make up an epoch: each set's weight, a fixed subset under a limit, the order from (seed, epoch). */
class TrainingSetsTest {

    @Test
    void weightsDrawEachSetsImagesThatOftenPerEpochAndALimitDrawsAFixedSubset() {
        TrainingSets.Member a = member("a", 100, 1);
        TrainingSets.Member b = member("b", 100, 2.5);
        TrainingSets sets = TrainingSets.of(List.of(a, b), null);
        int[] order = sets.epochOrder(1, 0, 0);
        long fromB = java.util.Arrays.stream(order).filter(i -> i >= 100).count();
        long fromA = order.length - fromB;
        assertThat(fromA).isEqualTo(100);
        assertThat(fromB).as("2 or 3 times each").isBetween(200L, 300L);
        assertThat(sets.epochOrder(1, 0, 0)).as("drawn from (seed, epoch)").isEqualTo(order);
        assertThat(sets.epochOrder(1, 1, 0)).isNotEqualTo(order);
        java.util.Set<Integer> e0 = new java.util.HashSet<>();
        java.util.Set<Integer> e1 = new java.util.HashSet<>();
        TrainingSets plain = TrainingSets.of(List.of(member("a", 100, 1), member("b", 100, 1)), null);
        for (int i : plain.epochOrder(5, 0, 30)) {
            e0.add(i);
        }
        for (int i : plain.epochOrder(5, 1, 30)) {
            e1.add(i);
        }
        assertThat(e0).hasSize(30).isEqualTo(e1);
        assertThat(plain.epochOrder(5, 0, 0)).hasSize(200);
    }

    private static TrainingSets.Member member(String name, int n, double weight) {
        List<LabelledFaces.Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new LabelledFaces.Sample(Path.of(name + i + ".jpg"), 20 + i % 50, Double.NaN, "train", null, null));
        }
        FaceCache c = new FaceCache(samples, 32, f -> new byte[32 * 32 * 3]);
        return new TrainingSets.Member(new TrainDataSet(name, Path.of(name), weight, "terms"), new TrainingData(c, c, null),
                new int[3]);
    }
}
