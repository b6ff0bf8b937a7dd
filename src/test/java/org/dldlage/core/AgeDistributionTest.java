package org.dldlage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AgeDistributionTest {

    @Test
    void gaussianTargetHasItsMeanAndSpread() {
        LabelSpace s = LabelSpace.DEFAULT;
        AgeDistribution d = new AgeDistribution(s, LabelDistributions.gaussian(s, 40, 3));
        assertThat(d.expectation()).isCloseTo(40, within(1e-6));
        assertThat(d.standardDeviation()).isCloseTo(3, within(0.01));
        double[] i80 = d.centralInterval(0.8);
        // a normal's central 80% is ±1.2816σ
        assertThat(i80[0]).isCloseTo(40 - 1.2816 * 3, within(0.15));
        assertThat(i80[1]).isCloseTo(40 + 1.2816 * 3, within(0.15));
        assertThat(d.probabilityBelow(40)).isCloseTo(0.5 - d.probabilities()[40] / 2, within(1e-9));
    }

    @Test
    void mirrorAverageIsTheMeanOfTheTwo() {
        LabelSpace s = LabelSpace.DEFAULT;
        AgeDistribution a = new AgeDistribution(s, LabelDistributions.gaussian(s, 20, 2));
        AgeDistribution b = new AgeDistribution(s, LabelDistributions.gaussian(s, 30, 2));
        assertThat(AgeDistribution.mean(a, b).expectation()).isCloseTo(25, within(1e-6));
    }
}
