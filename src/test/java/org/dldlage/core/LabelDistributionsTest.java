package org.dldlage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelDistributionsTest {

    private final LabelSpace space = LabelSpace.DEFAULT;

    @Test
    void gaussianIsNormalisedAndPeaksAtTheAge() {
        double[] p = LabelDistributions.gaussian(space, 37.3, 2);
        assertThat(Arrays.stream(p).sum()).isCloseTo(1, within(1e-12));
        int argmax = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[argmax]) {
                argmax = k;
            }
        }
        assertThat(argmax).isEqualTo(37);
        // eq. (1): the ratio of two labels' mass is exp(−((l_a − y)² − (l_b − y)²)/2σ²)
        assertThat(p[40] / p[35]).isCloseTo(Math.exp(-((40 - 37.3) * (40 - 37.3) - (35 - 37.3) * (35 - 37.3)) / 8), within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsSigmaThatIsNotPositive(double sigma) {
        assertThatThrownBy(() -> LabelDistributions.gaussian(space, 30, sigma))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma");
    }

    @Test
    void farOutsideTheRangeAllMassGoesToTheNearestLabel() {
        double[] p = LabelDistributions.gaussian(space, 400, 0.5);
        assertThat(p[100]).isEqualTo(1);
        assertThat(Arrays.stream(p).sum()).isEqualTo(1);
    }

    @Test
    void rankingTargetsAreOneBelowTheAge() {
        double[] t = LabelDistributions.rankingTargets(space, 30.5);
        assertThat(t).hasSize(100);
        assertThat(t[30]).isEqualTo(1);
        assertThat(t[31]).isEqualTo(0);
        assertThat(Arrays.stream(t).sum()).isEqualTo(31);
    }

    @Test
    void cumulativeIsTheUpperTriangularProduct() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        // c = T·p with T_{kj} = 1 for j ≤ k (eq. 5)
        assertThat(LabelDistributions.cumulative(p)).containsExactly(new double[] {0.1, 0.3, 0.6, 1.0}, within(1e-12));
    }

    /** Eq. (6): p^rank ≈ 1 − T·p^ld, and the approximation tightens as σ shrinks. */
    @Test
    void rankingApproachesOneMinusTheCdfAsSigmaFalls() {
        double y = 42.6;
        double[] rank = LabelDistributions.rankingTargets(space, y);
        double previous = Double.POSITIVE_INFINITY;
        for (double sigma : new double[] {2, 1, 0.5}) {
            double[] approx = LabelDistributions.rankingFromDistribution(LabelDistributions.gaussian(space, y, sigma));
            double maxDiff = 0;
            for (int k = 0; k < rank.length; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(rank[k] - approx[k]));
            }
            assertThat(maxDiff).as("max |p^rank − (1 − T·p)| at σ = %s", sigma).isLessThan(previous);
            previous = maxDiff;
        }
        assertThat(previous).isLessThan(0.5);
    }
}
