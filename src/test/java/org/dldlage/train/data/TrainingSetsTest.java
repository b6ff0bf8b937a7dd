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
        int[] order = sets.epochOrder(1, 0, 0, 0);
        long fromB = java.util.Arrays.stream(order).filter(i -> i >= 100).count();
        long fromA = order.length - fromB;
        assertThat(fromA).isEqualTo(100);
        assertThat(fromB).as("2 or 3 times each").isBetween(200L, 300L);
        assertThat(sets.epochOrder(1, 0, 0, 0)).as("drawn from (seed, epoch)").isEqualTo(order);
        assertThat(sets.epochOrder(1, 1, 0, 0)).isNotEqualTo(order);
        java.util.Set<Integer> e0 = new java.util.HashSet<>();
        java.util.Set<Integer> e1 = new java.util.HashSet<>();
        TrainingSets plain = TrainingSets.of(List.of(member("a", 100, 1), member("b", 100, 1)), null);
        for (int i : plain.epochOrder(5, 0, 30, 0)) {
            e0.add(i);
        }
        for (int i : plain.epochOrder(5, 1, 30, 0)) {
            e1.add(i);
        }
        assertThat(e0).hasSize(30).isEqualTo(e1);
        assertThat(plain.epochOrder(5, 0, 0, 0)).hasSize(200);
    }

    @Test
    void ageBalanceDrawsRareDecadesMoreOftenAndKeepsTheEpochsLength() {
        // 180 faces in their twenties, 20 in their sixties
        TrainingSets sets = TrainingSets.of(List.of(member("a", 200, 1, i -> i < 180 ? 25.0 : 65.0)), null);
        assertThat(sixties(sets.epochOrder(1, 0, 0, 0))).isEqualTo(20);
        int[] half = sets.epochOrder(1, 0, 0, 0.5);
        // n_d^-1/2 scaled to mean 1: 2.5 draws per face in its sixties, 0.83 per face in its twenties
        assertThat(half.length).isBetween(185, 215);
        assertThat(sixties(half)).as("20 faces, 2 or 3 draws each").isBetween(40L, 60L);
        int[] equal = sets.epochOrder(1, 0, 0, 1);
        assertThat(sixties(equal)).as("every decade alike").isBetween(90L, 110L);
        assertThat(equal.length).isBetween(185, 215);
        assertThat(sets.epochOrder(1, 0, 0, 1)).as("drawn from (seed, epoch)").isEqualTo(equal);
        // one face of 90 among 199 of 25: its factor is clipped, not 199 draws
        TrainingSets lone = TrainingSets.of(List.of(member("b", 200, 1, i -> i == 0 ? 90.0 : 25.0)), null);
        long drawsOfLone = java.util.Arrays.stream(lone.epochOrder(1, 0, 0, 1)).filter(i -> i == 0).count();
        assertThat(drawsOfLone).isBetween(4L, 6L);
    }

    private static long sixties(int[] order) {
        return java.util.Arrays.stream(order).filter(i -> i >= 180).count();
    }

    private static TrainingSets.Member member(String name, int n, double weight) {
        return member(name, n, weight, i -> 20.0 + i % 50);
    }

    private static TrainingSets.Member member(String name, int n, double weight,
            java.util.function.IntFunction<Double> age) {
        List<LabelledFaces.Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new LabelledFaces.Sample(Path.of(name + i + ".jpg"), age.apply(i), Double.NaN, "train", null, null));
        }
        FaceCache c = new FaceCache(samples, 32, f -> new byte[32 * 32 * 3]);
        return new TrainingSets.Member(new TrainDataSet(name, Path.of(name), weight, "terms"), new TrainingData(c, c, null),
                new int[3]);
    }
}
