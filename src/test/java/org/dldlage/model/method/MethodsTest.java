package org.dldlage.model.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.dldlage.core.LabelDistributions;
import org.dldlage.core.LabelSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MethodsTest {

    private final LabelSpace space = LabelSpace.DEFAULT;

    @ParameterizedTest
    @CsvSource({"dldl-v2,101", "dldl,101", "dex,101", "ranking,100", "mr-l1,1", "mr-l2,1"})
    void outputSizes(String name, int outputs) {
        TrainingMethod m = Methods.create(name, space, 1);
        assertThat(m.outputs()).isEqualTo(outputs);
        assertThat(m.id()).isEqualTo(name);
    }

    @Test
    void unknownMethodNamesTheChoices() {
        assertThatThrownBy(() -> Methods.create("svm", space, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("svm").hasMessageContaining("dldl-v2");
    }

    /** Eq. (16): ∂L/∂x = p̂ − p + λ·sign(ŷ − y)·p̂ ∘ (l − ŷ), here averaged over the batch. */
    @Test
    void dldlV2GradientMatchesEquation16() {
        double lambda = 0.7;
        int n = 4;
        Random r = new Random(3);
        float[] ages = new float[n];
        float[] sigmas = new float[n];
        float[][] logits = new float[n][space.size()];
        for (int i = 0; i < n; i++) {
            ages[i] = 5 + r.nextFloat() * 80;
            sigmas[i] = 1 + r.nextFloat() * 3;
            for (int k = 0; k < space.size(); k++) {
                logits[i][k] = (float) r.nextGaussian();
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(logits);
            x.setRequiresGradient(true);
            TrainingMethod method = Methods.create("dldl-v2", space, lambda);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(method.loss(x, m.create(ages), m.create(sigmas)));
            }
            float[] autograd = x.getGradient().toFloatArray();
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : logits[i]) {
                    max = Math.max(max, v);
                }
                double[] pHat = new double[space.size()];
                double z = 0;
                for (int k = 0; k < pHat.length; k++) {
                    pHat[k] = Math.exp(logits[i][k] - max);
                    z += pHat[k];
                }
                double yHat = 0;
                for (int k = 0; k < pHat.length; k++) {
                    pHat[k] /= z;
                    yHat += pHat[k] * space.label(k);
                }
                double[] p = LabelDistributions.gaussian(space, ages[i], sigmas[i]);
                for (int k = 0; k < pHat.length; k++) {
                    double expected = (pHat[k] - p[k] + lambda * Math.signum(yHat - ages[i]) * pHat[k] * (space.label(k) - yHat)) / n;
                    double got = autograd[i * space.size() + k];
                    assertThat(got).as("sample %d label %d", i, k)
                            .isCloseTo(expected, within(1e-5 * Math.abs(expected) + 1e-7));
                }
            }
        }
    }

    @Test
    void klIsZeroWhenThePredictionIsTheTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] p = LabelDistributions.gaussian(space, 33, 2);
            float[] logp = new float[p.length];
            for (int k = 0; k < p.length; k++) {
                logp[k] = (float) Math.log(Math.max(p[k], 1e-30));
            }
            NDArray x = m.create(logp).reshape(1, -1);
            float kl = Methods.create("dldl", space, 0).loss(x, m.create(new float[] {33}), m.create(new float[] {2})).getFloat();
            assertThat(kl).isCloseTo(0f, within(1e-4f));
            // with λ the loss adds |ŷ − y| ≈ 0 since the target Gaussian's mean is y
            float joint = Methods.create("dldl-v2", space, 1).loss(x, m.create(new float[] {33}), m.create(new float[] {2})).getFloat();
            assertThat(joint).isCloseTo(0f, within(1e-3f));
        }
    }

    @Test
    void dexIsCrossEntropyOnTheNearestLabel() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 101));
            float loss = Methods.create("dex", space, 1).loss(x, m.create(new float[] {40.4f}), m.create(new float[] {2})).getFloat();
            float expected = -x.logSoftmax(1).getFloat(0, 40);
            assertThat(loss).isCloseTo(expected, within(1e-5f));
        }
    }

    @Test
    void rankingDecodesTheSumOfProbabilitiesAndLearnsFromBinaryTargets() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingMethod rank = Methods.create("ranking", space, 1);
            float[] big = new float[100];
            for (int k = 0; k < 100; k++) {
                big[k] = k < 30 ? 20 : -20; // "older than l_k" for k < 30
            }
            NDArray x = m.create(big).reshape(1, -1);
            assertThat(rank.decode(x).getFloat(0)).isCloseTo(30f, within(1e-3f));
            assertThat(rank.loss(x, m.create(new float[] {29.5f}), m.create(new float[] {2})).getFloat()).isLessThan(1e-3f);
            assertThat(rank.loss(x, m.create(new float[] {60f}), m.create(new float[] {2})).getFloat()).isGreaterThan(100f);
        }
    }

    @Test
    void regressionLossesAreL1AndL2OfTheDecodedAge() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0.1f, -0.2f}).reshape(2, 1); // ages 55 and 40
            NDArray y = m.create(new float[] {50f, 43f});
            assertThat(Methods.create("mr-l1", space, 1).decode(x).toFloatArray()).containsExactly(new float[] {55f, 40f}, within(1e-4f));
            assertThat(Methods.create("mr-l1", space, 1).loss(x, y, y).getFloat()).isCloseTo(4f, within(1e-4f));
            assertThat(Methods.create("mr-l2", space, 1).loss(x, y, y).getFloat()).isCloseTo(17f, within(1e-3f));
        }
    }
}
