package org.dldlage.model.net;

import org.dldlage.model.bundle.BundleManifest;
import org.dldlage.model.bundle.ModelBundles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgeNetTest {

    private static final BundleManifest.Normalization AUTHORS = BundleManifest.Normalization.authors();

    private static AgeNet.Builder builder() {
        return AgeNet.builder().setNormalization(AUTHORS.mean(), AUTHORS.std());
    }

    private static long trainable(Architecture arch, int outputs) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = builder().optArchitecture(arch).setOutputs(outputs).build();
            net.initialize(m, DataType.FLOAT32, AgeNet.inputShape(64));
            return ModelBundles.trainableCount(net);
        }
    }

    @Test
    void parameterCountsMatchThePaper() {
        assertThat(trainable(Architecture.THIN, 101)).isEqualTo(3_708_229);
        assertThat(trainable(Architecture.TINY, 101)).isEqualTo(934_869);
    }

    @ParameterizedTest
    @ValueSource(ints = {224, 128, 112, 96, 64})
    void anyInputDivisibleBy32GivesKOutputs(int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = builder().optArchitecture(Architecture.TINY).setOutputs(101).build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, size, size, 3));
            NDArray rgb = m.randomUniform(0, 255, new Shape(2, size, size, 3));
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(rgb), false).head();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 101));
        }
    }

    /** Layer by layer at 224: the input block makes RGB planes, five blocks halve the map to 7×7, hybrid pooling averages it away. */
    @Test
    void shapesLayerByLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            AgeNet net = builder().optArchitecture(Architecture.THIN).setOutputs(101).build();
            Shape[] shapes = {AgeNet.inputShape(224)};
            net.initialize(m, DataType.FLOAT32, shapes);
            shapes = net.input().getOutputShapes(shapes);
            assertThat(shapes[0]).as("after the input block").isEqualTo(new Shape(1, 3, 224, 224));
            Shape[] expected = {
                new Shape(1, 32, 224, 224), new Shape(1, 32, 112, 112),
                new Shape(1, 64, 112, 112), new Shape(1, 64, 56, 56),
                new Shape(1, 128, 56, 56), new Shape(1, 128, 28, 28),
                new Shape(1, 256, 28, 28), new Shape(1, 256, 14, 14),
                new Shape(1, 256, 14, 14), new Shape(1, 256, 7, 7),
                new Shape(1, 256), new Shape(1, 256), new Shape(1, 101)
            };
            int i = 0;
            for (SequentialBlock part : List.of(net.features(), net.head())) {
                for (Pair<String, Block> child : part.getChildren()) {
                    shapes = child.getValue().getOutputShapes(shapes);
                    assertThat(shapes[0]).as("after %s", child.getKey()).isEqualTo(expected[i++]);
                }
                if (part == net.features()) {
                    assertThat(i).as("the features end with the maps GAP reduces").isEqualTo(10);
                }
            }
            assertThat(i).isEqualTo(expected.length);
            assertThat(net.getOutputShapes(new Shape[] {AgeNet.inputShape(224)})[0]).isEqualTo(new Shape(1, 101));
        }
    }

    @Test
    void globalAveragePoolingVariantDropsTheLastMaxPool() {
        AgeNet hybrid = builder().setOutputs(101).build();
        AgeNet gap = builder().setOutputs(101).optHybridPooling(false).build();
        assertThat(gap.features().getChildren().size()).isEqualTo(hybrid.features().getChildren().size() - 1);
        assertThat(gap.head().getChildren().size()).isEqualTo(hybrid.head().getChildren().size());
    }

    @Test
    void convolutionsStartFromTheAuthorsNormalAndHaveNoBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = builder().optArchitecture(Architecture.THIN).setOutputs(101).build();
            net.initialize(m, DataType.FLOAT32, AgeNet.inputShape(64));
            int convs = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (a.getShape().dimension() == 4) {
                    convs++;
                    long out = a.getShape().get(0);
                    double std = Math.sqrt(a.sub(a.mean()).square().mean().getFloat());
                    assertThat(std).as(p.getKey()).isCloseTo(Math.sqrt(2.0 / (9 * out)), within(0.15 * Math.sqrt(2.0 / (9 * out))));
                }
                assertThat(p.getKey()).as("no conv bias").doesNotContain("Conv2d_bias");
            }
            assertThat(convs).isEqualTo(13);
        }
    }

    @Test
    void outputsAndNormalizationAreRequired() {
        assertThatThrownBy(() -> AgeNet.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setOutputs");
        assertThatThrownBy(() -> AgeNet.builder().setOutputs(101).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setNormalization");
        assertThatThrownBy(() -> AgeNet.builder().setOutputs(101).setNormalization(new float[] {0, 0, 0}, new float[] {1, 0, 1})
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 1");
    }

    /** The input block: interleaved RGB bytes to ((x / 255) − mean) / std per channel, as N×3×S×S. */
    @Test
    void theInputBlockNormalisesRgbBytesIntoPlanes() {
        try (NDManager m = NDManager.newBaseManager()) {
            RgbInput input = new RgbInput(AUTHORS.mean(), AUTHORS.std());
            byte[] rgb = new byte[2 * 2 * 3];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) (20 * i + 7);
            }
            NDArray x = m.create(java.nio.ByteBuffer.wrap(rgb), new Shape(1, 2, 2, 3), DataType.UINT8);
            NDArray planes = input.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertThat(planes.getShape()).isEqualTo(new Shape(1, 3, 2, 2));
            float[] v = planes.toFloatArray();
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 4; p++) {
                    float expected = ((rgb[3 * p + c] & 0xff) / 255f - AUTHORS.mean()[c]) / AUTHORS.std()[c];
                    assertThat(v[c * 4 + p]).as("channel %d pixel %d", c, p).isCloseTo(expected, within(1e-6f));
                }
            }
            assertThatThrownBy(() -> input.getOutputShapes(new Shape[] {new Shape(1, 3, 2, 2)}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("N×S×S×3");
        }
    }
}
