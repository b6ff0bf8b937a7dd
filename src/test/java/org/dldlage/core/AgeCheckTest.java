package org.dldlage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.dldlage.core.AgeCheck.Decision;
import org.dldlage.core.AgeCheck.Rule;
import org.junit.jupiter.api.Test;

class AgeCheckTest {

    private static AgeDistribution at(double... massAtAge) {
        double[] p = new double[LabelSpace.DEFAULT.size()];
        for (int i = 0; i < massAtAge.length; i += 2) {
            p[(int) massAtAge[i]] += massAtAge[i + 1]; // labels 0..100 step 1: index = age
        }
        return new AgeDistribution(LabelSpace.DEFAULT, p);
    }

    private static final AgeCheck ESTIMATE_18_5 = new AgeCheck(18, 5, Rule.ESTIMATE, 0.95, 0.05);

    @Test
    void probabilityAtLeastIsTheMassFromTUpAndComplementsTheMassBelow() {
        AgeDistribution p = at(16, 0.25, 18, 0.5, 30, 0.25);
        assertThat(p.probabilityAtLeast(18)).isCloseTo(0.75, within(1e-12));
        assertThat(p.probabilityAtLeast(18) + p.probabilityBelow(18)).isCloseTo(1.0, within(1e-12));
        assertThat(p.probabilityAtLeast(31)).isZero();
        assertThat(p.probabilityAtLeast(0)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theEstimateRulePassesFromTPlusTheBufferAndRefersJustUnder() {
        assertThat(ESTIMATE_18_5.decide(at(23, 1))).isEqualTo(Decision.PASS);
        assertThat(ESTIMATE_18_5.decide(at(22, 0.5, 23, 0.5))).as("ŷ = 22.5 < 23").isEqualTo(Decision.REFER);
        assertThat(ESTIMATE_18_5.with(18, 0).decide(at(18, 1))).isEqualTo(Decision.PASS);
    }

    @Test
    void aFaceFailsWhenItsOwnDistributionIsConfidentlyUnderT() {
        assertThat(ESTIMATE_18_5.decide(at(6, 1))).isEqualTo(Decision.FAIL);
        assertThat(ESTIMATE_18_5.decide(at(17, 0.9, 19, 0.1))).as("P(≥18) = 0.1 > 0.05").isEqualTo(Decision.REFER);
    }

    @Test
    void failIsCheckedFirstSoAFaceConfidentlyUnderTNeverPasses() {
        // ŷ = 0.96·17 + 0.04·100 = 20.3 clears 18 + 0, yet P(age ≥ 18) = 0.04
        AgeDistribution odd = at(17, 0.96, 100, 0.04);
        assertThat(odd.expectation()).isGreaterThan(18);
        assertThat(ESTIMATE_18_5.with(18, 0).decide(odd)).isEqualTo(Decision.FAIL);
    }

    @Test
    void theProbabilityRulePassesOnPAtLeastTAndIgnoresTheBuffer() {
        AgeCheck c = new AgeCheck(18, 10, Rule.PROBABILITY, 0.95, 0.05);
        assertThat(c.decide(at(19, 1))).isEqualTo(Decision.PASS);
        assertThat(c.decide(at(17, 0.1, 40, 0.9))).as("P = 0.9 < 0.95").isEqualTo(Decision.REFER);
        assertThat(c.describe()).contains("P(age ≥ 18) ≥ 0.95").doesNotContain("buffer");
    }

    @Test
    void withoutADistributionNothingFailsAndOnlyTheEstimateRuleCanPass() {
        assertThat(ESTIMATE_18_5.decide(30, Double.NaN)).isEqualTo(Decision.PASS);
        assertThat(ESTIMATE_18_5.decide(5, Double.NaN)).isEqualTo(Decision.REFER);
        assertThat(new AgeCheck(18, 0, Rule.PROBABILITY, 0.95, 0.05).decide(60, Double.NaN)).isEqualTo(Decision.REFER);
    }

    @Test
    void theDescriptionNamesTheRuleItsThresholdAndBuffer() {
        assertThat(ESTIMATE_18_5.describe()).isEqualTo(
                "fail when P(age ≥ 18) ≤ 0.05; else pass when the estimate ≥ 23 (T 18 + buffer 5); else refer");
        assertThat(Decision.REFER.code()).isEqualTo("refer");
        assertThat(Rule.ESTIMATE.code()).isEqualTo("estimate");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new AgeCheck(0, 5, Rule.ESTIMATE, 0.95, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgeCheck(18, -1, Rule.ESTIMATE, 0.95, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgeCheck(18, 0, Rule.ESTIMATE, 0.4, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgeCheck(18, 0, Rule.ESTIMATE, 0.95, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgeCheck(18, 0, null, 0.95, 0.05)).isInstanceOf(IllegalArgumentException.class);
    }
}
