package org.dldlage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelSpaceTest {

    @ParameterizedTest
    @CsvSource({"0.25,401", "0.5,201", "1,101", "2,51", "4,26"})
    void labelStepsGiveThePapersK(double step, int k) {
        LabelSpace s = LabelSpace.withStep(step);
        assertThat(s.size()).isEqualTo(k);
        assertThat(s.label(0)).isEqualTo(0);
        assertThat(s.label(k - 1)).isEqualTo(100);
        assertThat(s.labels()).hasSize(k);
    }

    @Test
    void rejectsAStepThatDoesNotDivideTheRange() {
        assertThatThrownBy(() -> LabelSpace.withStep(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not divide");
        assertThatThrownBy(() -> new LabelSpace(0, 100, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestIndexClampsToTheRange() {
        LabelSpace s = LabelSpace.withStep(2);
        assertThat(s.nearestIndex(3.2)).isEqualTo(2);
        assertThat(s.nearestIndex(-5)).isEqualTo(0);
        assertThat(s.nearestIndex(116)).isEqualTo(50);
    }
}
