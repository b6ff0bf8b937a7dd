package org.dldlage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AgeMetricsTest {

    @Test
    void smallExampleByHand() {
        AgeMetrics m = new AgeMetrics();
        m.add(30, 25, 2); // +5
        m.add(20, 21, 2); // −1
        m.add(50, 60, Double.NaN); // −10, σ unknown
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.mae()).isCloseTo(16.0 / 3, within(1e-12));
        assertThat(m.meanError()).isCloseTo(-6.0 / 3, within(1e-12));
        double eps = ((1 - Math.exp(-25.0 / 8)) + (1 - Math.exp(-1.0 / 8))) / 2;
        assertThat(m.epsilonError()).isCloseTo(eps, within(1e-12));
        assertThat(m.cumulativeScore(0)).isEqualTo(0);
        assertThat(m.cumulativeScore(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.cumulativeScore(5)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.cumulativeScore(10)).isEqualTo(1);
    }

    @Test
    void streamingMatchesADirectComputationOverAMillionPredictions() {
        Random r = new Random(7);
        AgeMetrics a = new AgeMetrics();
        AgeMetrics b = new AgeMetrics();
        double abs = 0;
        long within3 = 0;
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            double y = r.nextDouble() * 80;
            double yHat = y + r.nextGaussian() * 6;
            (i % 2 == 0 ? a : b).add(yHat, y, 3);
            abs += Math.abs(yHat - y);
            if (Math.abs(yHat - y) <= 3) {
                within3++;
            }
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(n);
        assertThat(a.mae()).isCloseTo(abs / n, within(1e-9));
        assertThat(a.cumulativeScore(3)).isCloseTo((double) within3 / n, within(1e-12));
    }

    @Test
    void coverageCountsIntervalHits() {
        AgeMetrics m = new AgeMetrics();
        assertThat(m.coverage()).isNaN();
        m.addCoverage(true);
        m.addCoverage(true);
        m.addCoverage(false);
        m.addCoverage(true);
        assertThat(m.coverage()).isEqualTo(0.75);
    }
}
